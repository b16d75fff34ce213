package dev.athanor.cli.inspect;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The human-readable report of {@code athanor inspect}: one aligned row per (run, tag). */
final class InspectTable {

    private static final String[] HEADER = {"RUN", "TAG", "PLUGIN", "DATA CLASS", "VALUES", "FIRST STEP", "LAST STEP"};

    private InspectTable() {
    }

    static void print(PrintWriter out, Map<String, Map<String, TagStats>> stats, int runs, long records, long bytes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        long values = 0;
        int tags = 0;
        for (var run : stats.entrySet()) {
            for (var tag : run.getValue().entrySet()) {
                TagStats s = tag.getValue();
                rows.add(new String[] {run.getKey(), tag.getKey(), s.plugin().isEmpty() ? "-" : s.plugin(),
                    s.dataClass(), Long.toString(s.values()), Long.toString(s.firstStep()), Long.toString(s.lastStep())});
                values += s.values();
                tags++;
            }
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean numeric = i >= 4;
                String cell = numeric ? " ".repeat(widths[i] - row[i].length()) + row[i]
                        : row[i] + (i == row.length - 1 ? "" : " ".repeat(widths[i] - row[i].length()));
                line.append(cell);
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
        out.printf("%n%d runs, %d tags, %d values in %d records (%,d bytes)%n", runs, tags, values, records, bytes);
    }
}
