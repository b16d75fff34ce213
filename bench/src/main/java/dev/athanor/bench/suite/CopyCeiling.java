package dev.athanor.bench.suite;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The reference ceiling beside each ingest round: the same points, one row each, written with a
 * plain binary COPY (pgjdbc {@code CopyManager}) into a simple
 * {@code (series_id, step, wall_time, value)} table with a {@code (series_id, step)} primary key,
 * in the same PostgreSQL, one connection per stream, all at once. It is what PostgreSQL alone
 * takes for row-per-point storage: no gRPC, no raw log, no decoding, no roll-ups.
 */
final class CopyCeiling {

    /** Binary COPY header: signature, flags, header-extension length. */
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final int ROW_BYTES = 2 + 4 * (4 + 8);

    record Result(int streams, long points, long copyBytes, double seconds, String load) {

        double pointsPerSecond() {
            return points / seconds;
        }
    }

    private CopyCeiling() {
    }

    static Result run(String jdbcUrl, String table, int streams, long stepsPerStream, int tagCount) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
            st.execute("CREATE TABLE " + table + " (series_id bigint NOT NULL, step bigint NOT NULL,"
                    + " wall_time double precision NOT NULL, value double precision NOT NULL,"
                    + " PRIMARY KEY (series_id, step))");
        }
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        try {
            List<Connection> connections = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                connections.add(DriverManager.getConnection(jdbcUrl, "postgres", "postgres"));
            }
            long start = System.nanoTime();
            List<Future<Long>> copies = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                int stream = s;
                Connection connection = connections.get(s);
                copies.add(pool.submit(() -> copy(connection, table, stream, stepsPerStream, tagCount)));
            }
            long bytes = 0;
            for (Future<Long> f : copies) {
                bytes += f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (Connection connection : connections) {
                connection.close();
            }
            return new Result(streams, streams * stepsPerStream * tagCount, bytes, seconds, ProcStats.loadAverage());
        } finally {
            pool.shutdownNow();
            try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
                 Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + table); // not measured; keeps the database small for what follows
            }
        }
    }

    /** One autocommitted COPY of one stream's points, in the order the event file holds them. */
    private static long copy(Connection connection, String table, int stream, long steps, int tagCount)
            throws SQLException {
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + table + " (series_id, step, wall_time, value) FROM STDIN (FORMAT binary)");
        ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
        buffer.put(SIGNATURE).putInt(0).putInt(0);
        long bytes = 0;
        try {
            for (long step = 0; step < steps; step++) {
                for (int t = 0; t < tagCount; t++) {
                    if (buffer.remaining() < ROW_BYTES) {
                        bytes += flush(in, buffer);
                    }
                    buffer.putShort((short) 4)
                            .putInt(8).putLong((long) stream * tagCount + t)
                            .putInt(8).putLong(step)
                            .putInt(8).putDouble(ScalarRunFiles.wallTime(t, step))
                            .putInt(8).putDouble(ScalarRunFiles.value(t, step));
                }
            }
            buffer.putShort((short) -1);
            bytes += flush(in, buffer);
            in.endCopy();
            return bytes;
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private static int flush(CopyIn in, ByteBuffer buffer) throws SQLException {
        int n = buffer.position();
        in.writeToCopy(buffer.array(), 0, n);
        buffer.clear();
        return n;
    }
}
