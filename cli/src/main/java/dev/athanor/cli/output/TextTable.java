package dev.athanor.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An aligned plain-text table: a header row, then rows; columns marked numeric are right-aligned.
 * Cells hold names from event files and users, so they are made safe for a terminal: line breaks
 * and tabs become spaces (one row stays one line), other control characters are shown escaped
 * ({@code \u001b}, never sent raw: no terminal escape sequences), and a cell longer than
 * {@link #MAX_CELL} characters is cut with an ellipsis, so one huge tag cannot pad every row of the
 * table to its width. Machine-readable output (JSON, CSV) carries the full values.
 */
public final class TextTable {

    /** Longest cell shown; longer ones end in "…". */
    public static final int MAX_CELL = 120;

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
            clean[i] = cell(cells[i]);
        }
        rows.add(clean);
        return this;
    }

    /** A value as a table shows it: one line, no control characters, at most {@link #MAX_CELL} characters. */
    public static String cell(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_CELL) + 8);
        for (int i = 0; i < value.length() && out.length() <= MAX_CELL; i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t') {
                out.append(' ');
            } else if (Character.isISOControl(c)) {
                out.append("\\u%04x".formatted((int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() > MAX_CELL) {
            out.setLength(MAX_CELL - 1);
            out.append('…');
        }
        return out.toString();
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
