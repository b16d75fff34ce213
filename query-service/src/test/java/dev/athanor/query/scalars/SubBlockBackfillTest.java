package dev.athanor.query.scalars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.index.write.ScalarPoints;
import dev.athanor.index.write.SubBlocks;
import dev.athanor.query.scalars.store.M4Series;
import dev.athanor.query.scalars.store.PgScalarStore;
import dev.athanor.query.scalars.store.ScalarSeriesRef;
import dev.athanor.query.scalars.store.StepRange;
import dev.athanor.query.scalars.store.SubBlockBackfill;
import dev.athanor.query.scalars.store.SubBlockBackfill.Outcome;
import dev.athanor.query.scalars.store.XAxis;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PgStores;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The sub-block backfill on the real schema: chunks written before the summaries (NULL), before
 * wall blocks (version 1, wall_blocks NULL) or on 2026-12-06 (both combined in sub_blocks, version
 * 2) come out byte for byte as the writer stores them now (sub_blocks and wall_blocks), and charts
 * of them read exactly as charts of freshly written chunks, before the pass, halfway and after; a
 * pass continues from its last committed batch after an interruption, does nothing more once
 * finished, changes nothing when run again, and is left to the replica that holds it.
 * Each test walks its own pass (a row of scalar_chunk_backfill) starting at its own series.
 */
class SubBlockBackfillTest {

    private final DataSource ds = PgStores.dataSource();
    private final IndexTestData data = PgStores.data();
    private final PgScalarStore store = new PgScalarStore(PgStores.jdbc());
    private final long experiment = data.experiment(IndexTestData.unique("backfill"));

    private record Series(long runId, long seriesId, long[] steps, double[] walls, double[] values) {
        ScalarSeriesRef ref() {
            return new ScalarSeriesRef(seriesId, runId, "run" + runId, "loss", steps.length);
        }
    }

    /** 7,500 points in 1000-point chunks; wall time goes back twice (a restarted job's clock). */
    private Series series(long seed) {
        Random random = new Random(seed);
        int n = 7_500;
        long[] steps = new long[n];
        double[] walls = new double[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            steps[i] = 2L * i + (i > 4000 ? 50 : 0);
            walls[i] = 1_700_000_000 + 0.5 * i - (i > 3000 ? 120 : 0) - (i > 6000 ? 200 : 0);
            values[i] = i % 997 == 0 ? Double.NaN : (float) (Math.exp(-i / 2000.0) + random.nextGaussian() * 0.05);
        }
        long run = data.run(experiment, IndexTestData.unique("run"));
        long id = data.series(run, "loss", "scalars", 1);
        data.scalars(id, steps, walls, values, 1000);
        return new Series(run, id, steps, walls, values);
    }

    /** A pass of its own that starts at {@code seriesId} (and goes on to whatever follows it). */
    private String passFrom(long seriesId) {
        String pass = IndexTestData.unique("test-pass");
        data.execute("INSERT INTO scalar_chunk_backfill (name, series_id, first_step) VALUES (?, ?, ?)", pass,
                seriesId - 1, Long.MAX_VALUE);
        return pass;
    }

    private TreeMap<Long, byte[]> subBlocks(long seriesId) throws SQLException {
        return column(seriesId, "sub_blocks");
    }

    private TreeMap<Long, byte[]> wallBlocks(long seriesId) throws SQLException {
        return column(seriesId, "wall_blocks");
    }

    private TreeMap<Long, byte[]> column(long seriesId, String column) throws SQLException {
        TreeMap<Long, byte[]> out = new TreeMap<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT first_step, " + column + " FROM scalar_chunk"
                     + " WHERE series_id = ?")) {
            ps.setLong(1, seriesId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getBytes(2));
                }
            }
        }
        return out;
    }

    /** Each chunk's row version (xmin): a chunk the backfill rewrote has a new one. */
    private TreeMap<Long, String> rowVersions(long seriesId) throws SQLException {
        TreeMap<Long, String> out = new TreeMap<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT first_step, xmin::text FROM scalar_chunk WHERE series_id = ?")) {
            ps.setLong(1, seriesId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /**
     * Makes the series' chunks (steps 2k, so chunk k starts near 2000 k) look written before
     * V1_5_51 (k % 3 == 0), before wall blocks (k % 3 == 1) or on 2026-12-06 (k % 3 == 2).
     */
    private void age(long seriesId) {
        data.combineSubBlocks(seriesId, "(first_step / 2000) % 3 = 2");
        data.execute("UPDATE scalar_chunk SET wall_blocks = NULL, sub_blocks = CASE WHEN (first_step / 2000) % 3 = 0"
                + " THEN NULL ELSE sub_blocks END WHERE series_id = ? AND (first_step / 2000) % 3 < 2", seriesId);
    }

    /** Charts of {@code old} by step and by wall time are those of {@code fresh}, point for point. */
    private void chartsAlike(Series fresh, Series old) {
        for (XAxis x : List.of(XAxis.STEP, XAxis.WALL_TIME)) {
            for (int columns : new int[] {20, 100}) {
                M4Series a = store.readColumns(List.of(fresh.ref()), StepRange.ALL, x, columns).get(0);
                M4Series b = store.readColumns(List.of(old.ref()), StepRange.ALL, x, columns).get(0);
                assertThat(b.steps()).as("%s, %d columns", x, columns).containsExactly(a.steps());
                assertThat(b.wallTimes()).containsExactly(a.wallTimes());
                assertThat(b.values()).containsExactly(a.values());
                assertThat(b.bucketSizes()).containsExactly(a.bucketSizes());
                // A column's mean from block sums and from point sums differ by rounding only.
                assertThat(b.means()).hasSameSizeAs(a.means());
                for (int c = 0; c < a.means().length; c++) {
                    if (a.means()[c] == null) {
                        assertThat(b.means()[c]).isNull();
                    } else {
                        assertThat(b.means()[c]).isCloseTo(a.means()[c], org.assertj.core.data.Offset.offset(1e-12));
                    }
                }
            }
        }
    }

    private static Outcome runToTheEnd(SubBlockBackfill backfill) throws SQLException {
        for (int i = 0; i < 10_000; i++) {
            Outcome o = backfill.runBatch().outcome();
            if (o != Outcome.PROGRESSED) {
                return o;
            }
        }
        throw new AssertionError("the pass did not finish");
    }

    @Test
    void backfilledChunksOfEveryOldLayoutAreStoredAndReadExactlyAsFreshlyWrittenOnes() throws SQLException {
        Series fresh = series(3);
        Series old = series(3);
        age(old.seriesId());
        TreeMap<Long, byte[]> aged = subBlocks(old.seriesId());
        assertThat(aged.values()).as("aged: none, version 1 and version 2").anyMatch(b -> b == null)
                .anyMatch(b -> b != null && SubBlocks.versionOf(b) == SubBlocks.STEP_VERSION)
                .anyMatch(b -> b != null && SubBlocks.versionOf(b) == SubBlocks.COMBINED_VERSION);
        assertThat(wallBlocks(old.seriesId()).values()).allMatch(b -> b == null);
        chartsAlike(fresh, old);

        // Halfway (the cursor in the middle of the series), any mix of old and new layouts reads alike.
        String pass = passFrom(old.seriesId());
        SubBlockBackfill backfill = new SubBlockBackfill(ds, pass, 4);
        assertThat(backfill.runBatch().rewritten()).isEqualTo(4);
        assertThat(wallBlocks(old.seriesId()).values()).anyMatch(b -> b == null).anyMatch(b -> b != null);
        chartsAlike(fresh, old);

        assertThat(runToTheEnd(backfill)).isEqualTo(Outcome.FINISHED);
        TreeMap<Long, byte[]> expected = subBlocks(fresh.seriesId());
        TreeMap<Long, byte[]> expectedWalls = wallBlocks(fresh.seriesId());
        TreeMap<Long, byte[]> backfilled = subBlocks(old.seriesId());
        TreeMap<Long, byte[]> backfilledWalls = wallBlocks(old.seriesId());
        assertThat(backfilled.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((first, bytes) -> {
            assertThat(backfilled.get(first)).as("sub_blocks of chunk at %d", first).isEqualTo(bytes);
            assertThat(SubBlocks.versionOf(bytes)).isEqualTo(SubBlocks.STEP_VERSION);
            assertThat(backfilledWalls.get(first)).as("wall_blocks of chunk at %d", first).isNotNull()
                    .isEqualTo(expectedWalls.get(first));
        });
        chartsAlike(fresh, old);
        // And the fold by wall time is exact on the backfilled chunks, wall time going back included.
        M4Series byWall = store.readColumns(List.of(old.ref()), StepRange.ALL, XAxis.WALL_TIME, 100).get(0);
        double lo = java.util.Arrays.stream(old.walls()).min().orElseThrow();
        double hi = java.util.Arrays.stream(old.walls()).max().orElseThrow();
        M4Check.matches(byWall, old.steps(), old.walls(), old.values(), XAxis.WALL_TIME,
                dev.athanor.query.scalars.store.BucketLayout.alignedWall(lo, hi, 100, maxWallStride(expectedWalls)));

        // Run again from the start (a second pass over the same chunks): no row of the series is touched.
        TreeMap<Long, String> versions = rowVersions(old.seriesId());
        String again = passFrom(old.seriesId());
        assertThat(runToTheEnd(new SubBlockBackfill(ds, again, 4))).isEqualTo(Outcome.FINISHED);
        assertThat(rowVersions(old.seriesId())).as("row versions after the second pass").isEqualTo(versions);
        assertThat(subBlocks(old.seriesId())).containsExactlyEntriesOf(backfilled);
        assertThat(wallBlocks(old.seriesId())).containsExactlyEntriesOf(backfilledWalls);
    }

    @Test
    void aChunkWrittenInVersion2OverCurrentWallBlocksIsSplitAgain() throws SQLException {
        // An ingest of the code before V1_5_57 that rewrote a current chunk: version 2 in sub_blocks,
        // wall_blocks left as they were. The pass splits it, whatever wall_blocks held.
        Series s = series(9);
        TreeMap<Long, byte[]> walls = wallBlocks(s.seriesId());
        long first = walls.firstKey();
        byte[] combined = SubBlocks.combined(new SubBlocks.Summaries(subBlocks(s.seriesId()).get(first), walls.get(first)));
        data.execute("UPDATE scalar_chunk SET sub_blocks = ?, wall_blocks = ? WHERE series_id = ? AND first_step = ?",
                combined, walls.lastEntry().getValue(), s.seriesId(), first);
        String pass = passFrom(s.seriesId());
        assertThat(new SubBlockBackfill(ds, pass, 8).runBatch().rewritten()).isEqualTo(1);
        assertThat(wallBlocks(s.seriesId()).get(first)).isEqualTo(walls.get(first));
        assertThat(SubBlocks.versionOf(subBlocks(s.seriesId()).get(first))).isEqualTo(SubBlocks.STEP_VERSION);
    }

    private static double maxWallStride(TreeMap<Long, byte[]> chunks) {
        return chunks.values().stream().mapToDouble(SubBlocks::wallStrideOf).max().orElseThrow();
    }

    @Test
    void aPassContinuesAfterAnInterruptionFromItsLastCommittedBatchAndThenDoesNothingMore() throws SQLException {
        Series s = series(5);
        data.execute("UPDATE scalar_chunk SET sub_blocks = NULL, wall_blocks = NULL WHERE series_id = ?", s.seriesId());
        List<Long> firsts = new ArrayList<>(subBlocks(s.seriesId()).keySet());
        assertThat(firsts).hasSize(8);
        String pass = passFrom(s.seriesId());

        SubBlockBackfill first = new SubBlockBackfill(ds, pass, 3);
        assertThat(first.runBatch().rewritten()).isEqualTo(3);
        SubBlockBackfill.Batch second = first.runBatch();
        assertThat(second.outcome()).isEqualTo(Outcome.PROGRESSED);
        assertThat(second.cursorFirstStep()).isEqualTo(firsts.get(5));
        assertThat(summarized(s.seriesId())).containsExactlyElementsOf(firsts.subList(0, 6));

        // The next batch (chunks 7 to 9) is interrupted: ingest holds chunk 8, the batch gives way and rolls back.
        try (Connection ingest = ds.getConnection()) {
            ingest.setAutoCommit(false);
            try (PreparedStatement ps = ingest.prepareStatement(
                    "SELECT 1 FROM scalar_chunk WHERE series_id = ? AND first_step = ? FOR UPDATE")) {
                ps.setLong(1, s.seriesId());
                ps.setLong(2, firsts.get(7));
                ps.executeQuery().close();
            }
            assertThatThrownBy(new SubBlockBackfill(ds, pass, 3)::runBatch).isInstanceOf(SQLException.class);
            ingest.rollback();
        }
        assertThat(summarized(s.seriesId())).as("nothing of the failed batch stays").containsExactlyElementsOf(
                firsts.subList(0, 6));

        // After a restart (a new instance: all it knows is the pass's row) it continues and finishes.
        SubBlockBackfill restarted = new SubBlockBackfill(ds, pass, 3);
        assertThat(runToTheEnd(restarted)).isEqualTo(Outcome.FINISHED);
        assertThat(summarized(s.seriesId())).containsExactlyElementsOf(firsts);
        TreeMap<Long, byte[]> stored = subBlocks(s.seriesId());
        TreeMap<Long, byte[]> storedWalls = wallBlocks(s.seriesId());
        for (int k = 0; k < firsts.size(); k++) {
            int from = k * 1000;
            int to = Math.min(s.steps().length, from + 1000);
            SubBlocks.Summaries expected = SubBlocks.summarize(ScalarPoints.of(s.steps(), s.walls(), s.values()), from, to);
            assertThat(stored.get(firsts.get(k))).isEqualTo(expected.stepBlocks());
            assertThat(storedWalls.get(firsts.get(k))).isEqualTo(expected.wallBlocks());
        }
        long[] counts = passCounts(pass);
        assertThat(counts[1]).as("each chunk summarized once").isEqualTo(8);
        assertThat(counts[0]).as("chunks looked at: this series' and whatever follows it").isGreaterThanOrEqualTo(8);

        SubBlockBackfill.Batch again = new SubBlockBackfill(ds, pass, 3).runBatch();
        assertThat(again.outcome()).isEqualTo(Outcome.FINISHED);
        assertThat(again.seen()).isZero();
        assertThat(passCounts(pass)).containsExactly(counts);
    }

    @Test
    void aReplicaFindingThePassHeldByAnotherLeavesIt() throws SQLException {
        Series s = series(7);
        data.execute("UPDATE scalar_chunk SET sub_blocks = NULL, wall_blocks = NULL WHERE series_id = ?", s.seriesId());
        String pass = passFrom(s.seriesId());
        try (Connection other = ds.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement ps = other.prepareStatement("SELECT 1 FROM scalar_chunk_backfill WHERE name = ? FOR UPDATE")) {
                ps.setString(1, pass);
                ps.executeQuery().close();
            }
            assertThat(new SubBlockBackfill(ds, pass, 3).runBatch().outcome()).isEqualTo(Outcome.BUSY);
            other.rollback();
        }
        assertThat(summarized(s.seriesId())).isEmpty();
        assertThat(new SubBlockBackfill(ds, pass, 3).runBatch().rewritten()).isEqualTo(3);
    }

    private List<Long> summarized(long seriesId) throws SQLException {
        List<Long> out = new ArrayList<>();
        subBlocks(seriesId).forEach((first, bytes) -> {
            if (bytes != null) {
                out.add(first);
            }
        });
        return out;
    }

    private long[] passCounts(String pass) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT chunks_seen, chunks_rewritten FROM scalar_chunk_backfill"
                     + " WHERE name = ?")) {
            ps.setString(1, pass);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }
}
