package dev.athanor.cli.inspect;

import dev.athanor.cli.output.TextTable;
import java.io.PrintWriter;
import java.util.Map;

/** The human-readable report of {@code athanor inspect}: one aligned row per (run, tag). */
final class InspectTable {

    private InspectTable() {
    }

    static void print(PrintWriter out, Map<String, Map<String, TagStats>> stats, int runs, long records, long bytes) {
        TextTable table = new TextTable("RUN", "TAG", "PLUGIN", "DATA CLASS", "VALUES", "FIRST STEP", "LAST STEP")
                .numeric(4, 5, 6);
        long values = 0;
        int tags = 0;
        for (var run : stats.entrySet()) {
            for (var tag : run.getValue().entrySet()) {
                TagStats s = tag.getValue();
                table.row(run.getKey(), tag.getKey(), s.plugin().isEmpty() ? "-" : s.plugin(), s.dataClass(),
                        Long.toString(s.values()), Long.toString(s.firstStep()), Long.toString(s.lastStep()));
                values += s.values();
                tags++;
            }
        }
        table.print(out);
        out.printf("%n%d runs, %d tags, %d values in %d records (%,d bytes)%n", runs, tags, values, records, bytes);
    }
}
