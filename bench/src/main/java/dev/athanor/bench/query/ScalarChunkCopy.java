package dev.athanor.bench.query;

import java.io.IOException;
import java.io.StringReader;
import java.sql.SQLException;
import org.postgresql.PGConnection;

/**
 * Writes scalar series into scalar_chunk by COPY, in chunks with their roll-ups, steps 0..n-1 and
 * wall times 1.7e9 + step / 10: the index as the indexer leaves it, for read benchmarks.
 */
final class ScalarChunkCopy {

    private final PGConnection connection;
    private final StringBuilder rows = new StringBuilder();

    ScalarChunkCopy(PGConnection connection) {
        this.connection = connection;
    }

    /** Buffers the series' chunks (sent in 8 MB COPYs), then brings its series roll-up up to date on {@link #flush}. */
    void series(long seriesId, double[] values, int chunk) throws SQLException, IOException {
        for (int from = 0; from < values.length; from += chunk) {
            int to = Math.min(values.length, from + chunk);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                min = Math.min(min, values[i]);
                max = Math.max(max, values[i]);
            }
            rows.append(seriesId).append('\t').append(from).append('\t').append(to - 1).append('\t').append(to - from).append("\t{");
            for (int i = from; i < to; i++) {
                rows.append(i == from ? "" : ",").append(i);
            }
            rows.append("}\t{");
            for (int i = from; i < to; i++) {
                rows.append(i == from ? "" : ",").append(wall(i));
            }
            rows.append("}\t{");
            for (int i = from; i < to; i++) {
                rows.append(i == from ? "" : ",").append(values[i]);
            }
            rows.append("}\t").append(min).append('\t').append(max).append('\t').append(values[from]).append('\t')
                    .append(values[to - 1]).append('\t').append(wall(from)).append('\t').append(wall(to - 1))
                    .append("\t0\t0\n");
            if (rows.length() > 8 << 20) {
                copy();
            }
        }
    }

    private static double wall(int step) {
        return 1_700_000_000.0 + step * 0.1;
    }

    /** Sends what is buffered and sets the roll-ups of every series that has chunks. */
    void flush(java.sql.Connection c) throws SQLException, IOException {
        copy();
        c.createStatement().execute("UPDATE series s SET point_count = a.n, first_step = a.f, last_step = a.l,"
                + " min_value = a.mn, max_value = a.mx FROM (SELECT series_id, sum(point_count) n, min(first_step) f,"
                + " max(last_step) l, min(min_value) mn, max(max_value) mx FROM scalar_chunk GROUP BY series_id) a"
                + " WHERE s.id = a.series_id AND s.point_count IS DISTINCT FROM a.n");
    }

    private void copy() throws SQLException, IOException {
        connection.getCopyAPI().copyIn("COPY scalar_chunk (series_id, first_step, last_step, point_count, steps,"
                + " wall_times, vals, min_value, max_value, first_value, last_value, first_wall_time, last_wall_time,"
                + " nan_count, inf_count) FROM STDIN", new StringReader(rows.toString()));
        rows.setLength(0);
    }
}
