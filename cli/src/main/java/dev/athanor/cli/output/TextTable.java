package dev.athanor.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An aligned plain-text table: a header row, then rows; columns marked numeric are right-aligned.
 * Cells never contain line breaks (they are shown as spaces) so one row stays one line.
 */
public final class TextTable {

    private final String[] header;
    private final boolean[] numeric;
    private final List<String[]> rows = new ArrayList<>();

    public TextTable(String... header) {
        this.header = header.clone();
        this.numeric = new boolean[header.length];
    }

    /** Right-aligns these columns (0-based). */
    public TextTable numeric(int... columns) {
        for (int column : columns) {
            numeric[column] = true;
        }
        return this;
    }

    public TextTable row(String... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + header.length
                    + " columns: " + Arrays.toString(cells));
        }
        String[] clean = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            clean[i] = cells[i] == null ? "" : cells[i].replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        }
        rows.add(clean);
        return this;
    }

    public int size() {
        return rows.size();
    }

    public void print(PrintWriter out) {
        print(out, "");
    }

    /** Prints every line with {@code indent} in front. */
    public void print(PrintWriter out, String indent) {
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        printRow(out, indent, header, widths);
        for (String[] row : rows) {
            printRow(out, indent, row, widths);
        }
    }

    private void printRow(PrintWriter out, String indent, String[] row, int[] widths) {
        StringBuilder line = new StringBuilder(indent);
        for (int i = 0; i < row.length; i++) {
            String pad = " ".repeat(widths[i] - row[i].length());
            line.append(numeric[i] ? pad + row[i] : row[i] + pad);
            if (i < row.length - 1) {
                line.append("  ");
            }
        }
        out.println(line.toString().stripTrailing());
    }
}
