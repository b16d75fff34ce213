package dev.athanor.index.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.index.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The writer against the migrated schema: chunk rows as packed, and roll-ups equal to what the points say. */
class IndexWriterTest {

    private static DataSource db;
    private static long runId;

    @BeforeAll
    static void run() throws SQLException {
        db = TestPostgres.migratedDataSource();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                WITH e AS (INSERT INTO experiment (project_id, name) SELECT id, 'index-writer-' || nextval('run_id_seq')
                           FROM project WHERE name = 'default' RETURNING id)
                INSERT INTO run (experiment_id, path) SELECT id, 'train' FROM e RETURNING id""")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                runId = rs.getLong(1);
            }
        }
    }

    @Test
    void scalarsArePackedIntoChunksAndRolledUpAcrossAppends() throws SQLException {
        long seriesId;
        try (Connection c = db.getConnection()) {
            IndexWriter writer = new IndexWriter(c);
            seriesId = writer.series(runId, new SeriesRows.NewSeries("loss", "scalars", SeriesRows.SCALAR, null, false));
            writer.scalars(seriesId, steps(0, 2500), walls(0, 2500), values(0, 2500), 1000);
            writer.flush();
            writer.scalars(seriesId, steps(2500, 2600), walls(2500, 2600), values(2500, 2600), 1000);
            writer.flush();

            assertThat(chunks(c, seriesId)).containsExactly("0-999:1000", "1000-1999:1000", "2000-2499:500",
                    "2500-2599:100");
            SeriesRollup stored = SeriesRollup.load(c, seriesId);
            assertThat(stored.pointCount()).isEqualTo(2600);
            assertThat(stored.lastStep()).isEqualTo(2599);
            assertThat(rollupRow(c, seriesId)).isEqualTo(recomputed(c, seriesId))
                    .contains("min=-1.0", "nan=1", "inf=1", "last=2599.0");
        }
    }

    @Test
    void tensorsAndBlobsCountInTheRollupWithoutValues() throws SQLException {
        try (Connection c = db.getConnection()) {
            IndexWriter writer = new IndexWriter(c);
            long tensors = writer.series(runId, new SeriesRows.NewSeries("hist", "histograms", SeriesRows.TENSOR, null,
                    false));
            long blobs = writer.series(runId, new SeriesRows.NewSeries("img", "images", SeriesRows.BLOB_SEQUENCE, null,
                    false));
            long segment;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO raw_segment (run_id, relative_path, state,"
                    + " ingest_node) VALUES (?, 'exp/train/seg', 'SEALED', 'test') RETURNING id")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    segment = rs.getLong(1);
                }
            }
            writer.tensor(tensors, 3, 10.0, 1, new long[] {2}, new byte[] {1, 2, 3});
            writer.tensor(tensors, 7, 11.0, 1, new long[] {2}, new byte[] {4});
            writer.blob(blobs, 5, 12.0, segment, 128, 64, new int[] {30, 20});
            writer.flush();

            assertThat(rollupRow(c, tensors)).isEqualTo(recomputed(c, tensors)).startsWith("n=2 first=3 last_step=7");
            assertThat(rollupRow(c, blobs)).isEqualTo(recomputed(c, blobs)).startsWith("n=1 first=5 last_step=5");
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT blob_count, blob_lengths[2], record_offset FROM blob_sequence_point WHERE series_id = ?")) {
                ps.setLong(1, blobs);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3))).containsExactly(2, 20, 128);
                }
            }
        }
    }

    @Test
    void aSecondSeriesOfTheSameTagIsTheSameRow() throws SQLException {
        try (Connection c = db.getConnection()) {
            IndexWriter writer = new IndexWriter(c);
            SeriesRows.NewSeries acc = new SeriesRows.NewSeries("acc", "scalars", SeriesRows.SCALAR, null, false);
            assertThat(writer.series(runId, acc)).isEqualTo(writer.series(runId, acc));
        }
    }

    @Test
    void onlyTheRollupsOfSeriesThatGotPointsAreWrittenBack() throws SQLException {
        try (Connection c = db.getConnection()) {
            IndexWriter setup = new IndexWriter(c);
            long written = setup.series(runId, new SeriesRows.NewSeries("written", "scalars", SeriesRows.SCALAR, null, false));
            long untouched = setup.series(runId, new SeriesRows.NewSeries("untouched", "scalars", SeriesRows.SCALAR, null,
                    false));
            IndexWriter writer = new IndexWriter(c);
            writer.rollupsOf(List.of(written, untouched));
            // Someone else changes the untouched series after the writer read its roll-up.
            try (PreparedStatement ps = c.prepareStatement("UPDATE series SET point_count = 42 WHERE id = ?")) {
                ps.setLong(1, untouched);
                ps.executeUpdate();
            }
            writer.scalars(written, steps(0, 10), walls(0, 10), values(0, 10), 1000);
            writer.flush();
            writer.scalars(written, steps(10, 20), walls(10, 20), values(10, 20), 1000);
            writer.flush();

            assertThat(SeriesRollup.load(c, untouched).pointCount()).isEqualTo(42);
            assertThat(SeriesRollup.load(c, written).pointCount()).isEqualTo(20);
            assertThat(rollupRow(c, written)).isEqualTo(recomputed(c, written));
        }
    }

    @Test
    void everyChunkCarriesTheSubBlocksOfItsStoredPointsAlsoAfterARewrite() throws SQLException {
        try (Connection c = db.getConnection()) {
            IndexWriter writer = new IndexWriter(c);
            long id = writer.series(runId, new SeriesRows.NewSeries("blocks", "scalars", SeriesRows.SCALAR, null, false));
            writer.scalars(id, steps(0, 2300), walls(0, 2300), values(0, 2300), 1000);
            writer.flush();
            assertThat(subBlocksMatchPoints(c, id)).isEqualTo(3);
            // A rewind to step 1500 cuts the middle chunk: its summaries must follow its points.
            ScalarChunks.deleteFrom(c, id, 1500);
            ScalarChunks.Stored straddling = ScalarChunks.reaching(c, id, 1500);
            ScalarChunks.rewrite(c, id, straddling.firstStep(), ChunkPacker.keptBelow(straddling.points(), 1500));
            assertThat(subBlocksMatchPoints(c, id)).isEqualTo(2);
        }
    }

    /** Checks each chunk's stored sub_blocks and wall_blocks against those of its stored points; returns how many chunks. */
    private static int subBlocksMatchPoints(Connection c, long seriesId) throws SQLException {
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT first_step, steps, wall_times, vals, sub_blocks,"
                + " wall_blocks"
                + " FROM scalar_chunk WHERE series_id = ? ORDER BY first_step")) {
            ps.setLong(1, seriesId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Long[] steps = (Long[]) rs.getArray(2).getArray();
                    Double[] walls = (Double[]) rs.getArray(3).getArray();
                    Double[] vals = (Double[]) rs.getArray(4).getArray();
                    ScalarPoints p = new ScalarPoints(steps.length);
                    for (int i = 0; i < steps.length; i++) {
                        p.add(steps[i], walls[i], vals[i]);
                    }
                    SubBlocks.Summaries expected = SubBlocks.summarize(p, 0, p.size);
                    assertThat(rs.getBytes(5)).as("step blocks of chunk at %d", rs.getLong(1)).isNotNull()
                            .isEqualTo(expected.stepBlocks());
                    assertThat(rs.getBytes(6)).as("wall blocks of chunk at %d", rs.getLong(1)).isNotNull()
                            .isEqualTo(expected.wallBlocks());
                    n++;
                }
            }
        }
        return n;
    }

    private static List<String> chunks(Connection c, long seriesId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT first_step, last_step, point_count, cardinality(vals)"
                + " FROM scalar_chunk WHERE series_id = ? ORDER BY first_step")) {
            ps.setLong(1, seriesId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getInt(4)).isEqualTo(rs.getInt(3));
                    out.add(rs.getLong(1) + "-" + rs.getLong(2) + ":" + rs.getInt(3));
                }
            }
        }
        return out;
    }

    private static String rollupRow(Connection c, long seriesId) throws SQLException {
        return SeriesRollup.load(c, seriesId).toString();
    }

    private static String recomputed(Connection c, long seriesId) throws SQLException {
        return SeriesRollup.recompute(c, seriesId).toString();
    }

    private static long[] steps(int from, int to) {
        long[] out = new long[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = i;
        }
        return out;
    }

    private static double[] walls(int from, int to) {
        double[] out = new double[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = 1_000 + i;
        }
        return out;
    }

    /** The step as value, but a NaN at 10, +infinity at 20 and -1 at 30. */
    private static double[] values(int from, int to) {
        double[] out = new double[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = switch (i) {
                case 10 -> Double.NaN;
                case 20 -> Double.POSITIVE_INFINITY;
                case 30 -> -1;
                default -> i;
            };
        }
        return out;
    }
}
