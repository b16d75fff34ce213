package dev.athanor.index.write;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The point rows of one transaction: scalar chunks, tensors and blob pointers, gathered in the
 * PostgreSQL binary COPY format and written by one COPY per table in {@link #copy(Connection)}.
 * The column lists and row layouts of scalar_chunk, tensor_point and blob_sequence_point live here
 * and nowhere else.
 */
public final class PointRows {

    private static final String SCALAR_CHUNK_COPY = "COPY scalar_chunk (series_id, first_step, last_step, point_count,"
            + " steps, wall_times, vals, min_value, max_value, first_value, last_value, first_wall_time, last_wall_time,"
            + " nan_count, inf_count, sub_blocks, wall_blocks) FROM STDIN (FORMAT binary)";
    private static final String TENSOR_COPY =
            "COPY tensor_point (series_id, step, wall_time, dtype, shape, tensor) FROM STDIN (FORMAT binary)";
    private static final String BLOB_COPY = "COPY blob_sequence_point (series_id, step, wall_time, segment_id,"
            + " record_offset, record_length, blob_count, blob_lengths) FROM STDIN (FORMAT binary)";

    private final BinaryCopy chunks = new BinaryCopy(1 << 16);
    private final BinaryCopy tensors = new BinaryCopy(1 << 12);
    private final BinaryCopy blobs = new BinaryCopy(1 << 10);

    /**
     * One scalar_chunk row: the chunk's points with its roll-up, its first and last values and its
     * {@link SubBlocks} (step blocks and wall blocks, each in its column).
     */
    public void addChunk(long seriesId, ChunkPacker.Chunk chunk) {
        ScalarPoints p = chunk.points();
        int from = chunk.from();
        int to = chunk.to();
        ChunkRollup r = chunk.rollup();
        SubBlocks.Summaries summaries = SubBlocks.summarize(p, from, to);
        chunks.row(17).int8(seriesId).int8(p.steps[from]).int8(p.steps[to - 1]).int4(to - from)
                .int8Array(p.steps, from, to).float8Array(p.wallTimes, from, to)
                .float8Array(p.values, from, to).float8OrNull(r.min()).float8OrNull(r.max())
                .float8(p.values[from]).float8(p.values[to - 1])
                .float8(p.wallTimes[from]).float8(p.wallTimes[to - 1])
                .int4(r.nanCount()).int4(r.infCount());
        if (summaries == null) {
            chunks.nul().nul();
        } else {
            chunks.bytea(summaries.stepBlocks()).bytea(summaries.wallBlocks());
        }
    }

    /** One tensor_point row; {@code tensor} is the serialized TensorProto. */
    public void addTensor(long seriesId, long step, double wallTime, int dtype, long[] shape, byte[] tensor) {
        tensors.row(6).int8(seriesId).int8(step).float8(wallTime).int2(dtype)
                .int8Array(shape, 0, shape.length).bytea(tensor);
    }

    /** One blob_sequence_point row: where the record holding the blobs lies in a raw segment. */
    public void addBlob(long seriesId, long step, double wallTime, long segmentId, long recordOffset, int recordLength,
                        int[] blobLengths) {
        blobs.row(8).int8(seriesId).int8(step).float8(wallTime).int8(segmentId)
                .int8(recordOffset).int4(recordLength).int4(blobLengths.length).int4Array(blobLengths);
    }

    /** True when no row was added since the last copy. */
    public boolean isEmpty() {
        return chunks.rows() + tensors.rows() + blobs.rows() == 0;
    }

    /** Writes the rows gathered so far on {@code c} (inside its transaction) and starts afresh. */
    public void copy(Connection c) throws SQLException {
        try {
            copy(c, SCALAR_CHUNK_COPY, chunks);
            copy(c, TENSOR_COPY, tensors);
            copy(c, BLOB_COPY, blobs);
        } finally {
            reset();
        }
    }

    /**
     * Drops rows gathered but never copied (a transaction that failed before its COPY), so the same
     * PointRows, and its grown buffers, can serve the next transaction.
     */
    public void discard() {
        reset();
    }

    private void reset() {
        chunks.clear();
        tensors.clear();
        blobs.clear();
    }

    private static void copy(Connection c, String sql, BinaryCopy data) throws SQLException {
        if (data.rows() == 0) {
            return;
        }
        byte[] bytes = data.finish();
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            copy.writeToCopy(bytes, 0, data.length());
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }
}
