package dev.athanor.query.scalars.store;

import dev.athanor.index.write.ScalarPoints;
import dev.athanor.index.write.SubBlocks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * One pass of bringing stored scalar chunks to the current summary layout (index-writer's
 * {@link SubBlocks}, so the formats are written in one place): step blocks in sub_blocks (version
 * 1), wall blocks in wall_blocks (V1_5_57). A chunk written on 2026-12-06 holds both in sub_blocks
 * (version 2): it is split into the two columns from those bytes alone, its point arrays are not
 * read. A chunk written before V1_5_51 (no summaries) or before wall blocks (version 1, wall_blocks
 * NULL) is summarized from its points. The pass walks the table in primary-key order in batches;
 * each batch is one transaction that locks the pass's row of scalar_chunk_backfill (SKIP LOCKED:
 * while one replica runs a batch, another finds it taken and leaves the pass to it), rewrites the
 * stale chunks of the batch and moves the row's cursor past them. So the pass survives a crash or
 * restart (it continues after the last committed batch) and is idempotent (summaries are a function
 * of the points, the split a function of the stored bytes, and a chunk in the current layout is left
 * alone). Charts read any mix of layouts meanwhile (see {@link PgScalarStore}).
 *
 * <p>Ingest may rewrite a chunk at the same time (a tail refilled, a rewind): the update only
 * applies to the row version the batch read (its xmin), so a newer row — which its writer
 * summarized — is left alone. The batch waits for a row lock at most {@link #LOCK_TIMEOUT_MS}
 * (less than PostgreSQL's deadlock_timeout): should ingest hold one row and wait for another this
 * batch updated, the batch gives way and is retried, not the ingest transaction. The update
 * rewrites only the row: the unchanged point arrays keep their TOAST values.
 */
public final class SubBlockBackfill {

    /** The pass that brings every chunk to the current layout (its row in scalar_chunk_backfill, from V1_5_57). */
    public static final String PASS = "wall_blocks_column";
    static final int LOCK_TIMEOUT_MS = 200;

    /** What a batch did. */
    public enum Outcome {
        /** Chunks were looked at; more may follow. */
        PROGRESSED,
        /** The pass has reached the last chunk (now or before). */
        FINISHED,
        /** Another replica holds the pass (or it has no row): nothing done. */
        BUSY
    }

    /** A batch's outcome and its counts; {@code cursor} is the last chunk key looked at. */
    public record Batch(Outcome outcome, int seen, int rewritten, long cursorSeriesId, long cursorFirstStep) {
    }

    private final DataSource dataSource;
    private final String pass;
    private final int batchSize;

    public SubBlockBackfill(DataSource dataSource, String pass, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1: " + batchSize);
        }
        this.dataSource = dataSource;
        this.pass = pass;
        this.batchSize = batchSize;
    }

    /**
     * A chunk of a batch: {@code combined} its version 2 sub_blocks to split, or {@code steps},
     * {@code walls} and {@code values} its points to summarize; all null when it is current.
     */
    private record Chunk(long seriesId, long firstStep, String xmin, byte[] combined, byte[] steps, byte[] walls,
                         byte[] values) {
        SubBlocks.Summaries current() {
            if (combined != null) {
                return SubBlocks.split(combined);
            }
            if (values == null) {
                return null;
            }
            double[] v = BinaryArrays.float8(values);
            return SubBlocks.summarize(ScalarPoints.of(BinaryArrays.int8(steps), BinaryArrays.float8(walls), v), 0,
                    v.length);
        }
    }

    /** Runs one batch in its own transaction. */
    public Batch runBatch() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Batch b = batch(c);
                c.commit();
                return b;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private Batch batch(Connection c) throws SQLException {
        long seriesId;
        long firstStep;
        try (PreparedStatement ps = c.prepareStatement("SELECT series_id, first_step, finished_at IS NOT NULL"
                + " FROM scalar_chunk_backfill WHERE name = ? FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, pass);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Batch(Outcome.BUSY, 0, 0, 0, 0);
                }
                seriesId = rs.getLong(1);
                firstStep = rs.getLong(2);
                if (rs.getBoolean(3)) {
                    return new Batch(Outcome.FINISHED, 0, 0, seriesId, firstStep);
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT_MS + "ms'");
        }
        // The point arrays are read (out of TOAST) only for the chunks to summarize again; a version
        // 2 sub_blocks is split whatever wall_blocks holds (an ingest of the code before V1_5_57 that
        // rewrote a chunk wrote version 2 and left its wall_blocks as they were).
        List<Chunk> chunks = new ArrayList<>(batchSize);
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT series_id, first_step, xmin::text, CASE WHEN work = 2 THEN sub_blocks END,
                       CASE WHEN work = 1 THEN array_send(steps) END, CASE WHEN work = 1 THEN array_send(wall_times) END,
                       CASE WHEN work = 1 THEN array_send(vals) END
                FROM (SELECT c.series_id, c.first_step, c.xmin, c.steps, c.wall_times, c.vals, c.sub_blocks,
                             CASE WHEN c.sub_blocks IS NULL THEN 1 WHEN get_byte(c.sub_blocks, 0) = ? THEN 2
                                  WHEN c.wall_blocks IS NULL THEN 1 ELSE 0 END AS work
                      FROM scalar_chunk c WHERE (c.series_id, c.first_step) > (?, ?)
                      ORDER BY c.series_id, c.first_step LIMIT ?) c
                ORDER BY series_id, first_step""")) {
            ps.setInt(1, SubBlocks.COMBINED_VERSION);
            ps.setLong(2, seriesId);
            ps.setLong(3, firstStep);
            ps.setInt(4, batchSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    chunks.add(new Chunk(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getBytes(4), rs.getBytes(5),
                            rs.getBytes(6), rs.getBytes(7)));
                }
            }
        }
        int rewritten = rewrite(c, chunks);
        boolean finished = chunks.size() < batchSize;
        if (!chunks.isEmpty()) {
            Chunk last = chunks.get(chunks.size() - 1);
            seriesId = last.seriesId();
            firstStep = last.firstStep();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE scalar_chunk_backfill SET series_id = ?, first_step = ?,"
                + " chunks_seen = chunks_seen + ?, chunks_rewritten = chunks_rewritten + ?, updated_at = now(),"
                + " finished_at = CASE WHEN ? THEN now() END WHERE name = ?")) {
            ps.setLong(1, seriesId);
            ps.setLong(2, firstStep);
            ps.setInt(3, chunks.size());
            ps.setInt(4, rewritten);
            ps.setBoolean(5, finished);
            ps.setString(6, pass);
            ps.executeUpdate();
        }
        return new Batch(finished ? Outcome.FINISHED : Outcome.PROGRESSED, chunks.size(), rewritten, seriesId, firstStep);
    }

    /** Brings the stale chunks to the current layout where the row is still the version read; returns how many. */
    private static int rewrite(Connection c, List<Chunk> chunks) throws SQLException {
        List<Long> ids = new ArrayList<>();
        List<Long> firsts = new ArrayList<>();
        List<String> xmins = new ArrayList<>();
        List<byte[]> stepBlocks = new ArrayList<>();
        List<byte[]> wallBlocks = new ArrayList<>();
        for (Chunk chunk : chunks) {
            SubBlocks.Summaries summaries = chunk.current();
            if (summaries != null) { // null: current, or a span the format cannot hold (such a chunk stays as it is)
                ids.add(chunk.seriesId());
                firsts.add(chunk.firstStep());
                xmins.add(chunk.xmin());
                stepBlocks.add(summaries.stepBlocks());
                wallBlocks.add(summaries.wallBlocks());
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE scalar_chunk c SET sub_blocks = u.step_blocks, wall_blocks = u.wall_blocks
                FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::bytea[], ?::bytea[])
                     AS u(series_id, first_step, row_xmin, step_blocks, wall_blocks)
                WHERE c.series_id = u.series_id AND c.first_step = u.first_step AND c.xmin = u.row_xmin::xid""")) {
            ps.setArray(1, c.createArrayOf("int8", ids.toArray()));
            ps.setArray(2, c.createArrayOf("int8", firsts.toArray()));
            ps.setArray(3, c.createArrayOf("text", xmins.toArray()));
            ps.setArray(4, c.createArrayOf("bytea", stepBlocks.toArray(new byte[0][])));
            ps.setArray(5, c.createArrayOf("bytea", wallBlocks.toArray(new byte[0][])));
            return ps.executeUpdate();
        }
    }
}
