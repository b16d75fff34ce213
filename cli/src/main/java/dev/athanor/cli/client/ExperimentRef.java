package dev.athanor.cli.client;

/** An experiment as the CLI names it back to people. */
public record ExperimentRef(long id, String project, String name) {

    public String label() {
        return "'" + name + "' (id " + id + ", project " + project + ")";
    }
}
