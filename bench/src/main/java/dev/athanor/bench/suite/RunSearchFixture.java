package dev.athanor.bench.suite;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.Random;
import dev.athanor.index.write.IndexWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * An experiment of many finished runs for the run-search benchmark, written straight into the
 * index (uploading 10,000 runs through ingest would measure ingest again), runs by COPY and points
 * through the indexer's own writer ({@link IndexWriter}): each
 * run has typed hparams ({@code lr} log-uniform in [1e-4, 1e-1], {@code batch_size},
 * {@code optimizer}, {@code dropout}) and two scalar series, {@code loss} and {@code acc}, of
 * {@value #POINTS} points in one {@code scalar_chunk} row each, with the series roll-ups the
 * indexer keeps (point count, first/last step, last value and wall time, min, max), so the
 * filter and sort read what they would read after a real ingest.
 */
final class RunSearchFixture {

    static final int POINTS = 100;
    /** Series written per COPY, so a 100,000-run fill never holds all its rows at once. */
    private static final int FLUSH_SERIES = 2_000;
    private static final String[] OPTIMIZERS = {"adam", "sgd", "adamw", "rmsprop"};
    private static final int[] BATCHES = {16, 32, 64, 128, 256};

    private RunSearchFixture() {
    }

    /** Creates the experiment and returns its id. */
    static long create(String jdbcUrl, String experimentName, int runs) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres")) {
            long experiment;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO experiment (project_id, name)"
                    + " SELECT id, ? FROM project WHERE name = 'default' RETURNING id")) {
                ps.setString(1, experimentName);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    experiment = rs.getLong(1);
                }
            }
            Random random = new Random(42);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < runs; i++) {
                double lr = Math.pow(10, -4 + 3 * random.nextDouble());
                rows.append(experiment).append("\trun-").append(String.format(Locale.ROOT, "%05d", i))
                        .append("\tFINISHED\t").append(String.format(Locale.ROOT,
                                "2025-01-01 00:00:00+00\t{\"lr\": %s, \"batch_size\": %d, \"optimizer\": \"%s\", \"dropout\": %s}%n",
                                lr, BATCHES[random.nextInt(BATCHES.length)], OPTIMIZERS[random.nextInt(OPTIMIZERS.length)],
                                Math.round(random.nextDouble() * 50) / 100.0));
            }
            copy.copyIn("COPY run (experiment_id, path, status, started_at, hparams) FROM STDIN",
                    new StringReader(rows.toString()));
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO series (run_id, tag, plugin, data_class)"
                        + " SELECT r.id, t.tag, 'scalars', 1 FROM run r CROSS JOIN (VALUES ('loss'), ('acc')) t (tag)"
                        + " WHERE r.experiment_id = " + experiment + " ORDER BY r.id, t.tag");
            }
            List<Long> ids = new ArrayList<>();
            List<Boolean> isLoss = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.id, s.tag FROM series s JOIN run r ON r.id = s.run_id"
                    + " WHERE r.experiment_id = ? ORDER BY s.id")) {
                ps.setLong(1, experiment);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        isLoss.add(rs.getString(2).equals("loss"));
                    }
                }
            }
            IndexWriter writer = new IndexWriter(c);
            for (int from = 0; from < ids.size(); from += FLUSH_SERIES) {
                List<Long> batch = ids.subList(from, Math.min(ids.size(), from + FLUSH_SERIES));
                writer.rollupsOf(batch);
                for (int n = 0; n < batch.size(); n++) {
                    writeCurve(writer, batch.get(n), isLoss.get(from + n), random);
                }
                writer.flush();
            }
            try (Statement st = c.createStatement()) {
                st.execute("ANALYZE run");
                st.execute("ANALYZE series");
                st.execute("ANALYZE scalar_chunk");
            }
            return experiment;
        }
    }

    /** A loss curve falling to a run-specific floor in [0.1, 1.1], or an accuracy rising to one in [0.5, 1). */
    private static void writeCurve(IndexWriter writer, long seriesId, boolean loss, Random random) throws SQLException {
        double floor = loss ? 0.1 + random.nextDouble() : 0.5 + random.nextDouble() * 0.499;
        long[] steps = new long[POINTS];
        double[] walls = new double[POINTS];
        double[] v = new double[POINTS];
        for (int k = 0; k < POINTS; k++) {
            double progress = 1 - Math.exp(-k / 20.0);
            double noise = (random.nextDouble() - 0.5) * 0.02;
            steps[k] = k * 100L;
            walls[k] = 1_735_689_600 + k * 60;
            v[k] = loss ? floor + 2.0 * (1 - progress) + noise : Math.min(0.999, floor * progress + noise);
        }
        writer.scalars(seriesId, steps, walls, v, POINTS);
    }
}
