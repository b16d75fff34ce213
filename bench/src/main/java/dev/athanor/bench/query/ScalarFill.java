package dev.athanor.bench.query;

import dev.athanor.index.write.IndexWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Fills scalar series for the read benchmarks through the indexer's own writer, steps 0..n-1 and
 * wall times 1.7e9 + step / 10: the index exactly as ingest leaves it. Written in batches of about
 * a million points so a 500-run fill never holds all its COPY rows at once.
 */
final class ScalarFill {

    private static final int FLUSH_POINTS = 1 << 20;

    private final IndexWriter writer;
    private int buffered;

    ScalarFill(Connection c, List<Long> seriesIds) throws SQLException {
        writer = new IndexWriter(c);
        writer.rollupsOf(seriesIds);
    }

    /** Appends the series' points as chunks of {@code chunk} points. */
    void series(long seriesId, double[] values, int chunk) throws SQLException {
        long[] steps = new long[values.length];
        double[] walls = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            steps[i] = i;
            walls[i] = 1_700_000_000.0 + i * 0.1;
        }
        writer.scalars(seriesId, steps, walls, values, chunk);
        buffered += values.length;
        if (buffered >= FLUSH_POINTS) {
            flush();
        }
    }

    /** Writes what is buffered, with the series roll-ups. */
    void flush() throws SQLException {
        writer.flush();
        buffered = 0;
    }
}
