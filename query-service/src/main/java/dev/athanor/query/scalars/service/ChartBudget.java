package dev.athanor.query.scalars.service;

/**
 * How many pixel columns each line of a chart is cut into. A chart of width w can show about w
 * columns of one line, but a pixel column cannot show a hundred distinct values of a hundred
 * lines: the chart's lines share a budget of {@code linesPerColumn × width} columns, each line
 * getting at most the width and at least {@link #MIN_COLUMNS} (or the width, if narrower). So the
 * cost of a chart follows its size, not the number of runs times their length.
 */
public final class ChartBudget {

    /** Below this a line stops looking like its data; 500 runs × 32 columns is still cheap. */
    static final int MIN_COLUMNS = 32;

    private ChartBudget() {
    }

    /** Columns per line for {@code lines} lines of one chart of {@code width} pixels. */
    public static int columnsPerLine(int width, int lines, int linesPerColumn) {
        if (lines <= 0) {
            return width;
        }
        long shared = (long) width * linesPerColumn / lines;
        return (int) Math.min(width, Math.max(Math.min(width, MIN_COLUMNS), shared));
    }
}
