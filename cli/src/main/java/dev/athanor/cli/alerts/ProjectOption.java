package dev.athanor.cli.alerts;

import picocli.CommandLine.Option;

/** The {@code --project} every alerts command takes: rules belong to a project. */
public final class ProjectOption {

    @Option(names = "--project", paramLabel = "NAME", defaultValue = "${env:ATHANOR_PROJECT:-default}",
            description = "The project (default: ATHANOR_PROJECT, else default).")
    String project;

    /** The rules' API path of the project. */
    String rules() {
        return "/api/v1/projects/" + java.net.URLEncoder.encode(project, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20") + "/alert-rules";
    }

    /** One rule's API path. */
    String rule(long id) {
        return rules() + "/" + id;
    }
}
