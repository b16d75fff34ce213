package dev.athanor.query.blobs.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.query.common.error.CorruptRawDataException;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.common.series.EvenSample;
import dev.athanor.query.common.series.SeriesInfo;
import dev.athanor.query.scalars.store.StepRange;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link BlobStore}: pointers from blob_sequence_point and raw_segment, bytes from the raw log (hot, or its archived copy). */
public final class PgBlobStore implements BlobStore {

    private static final String SELECT = "SELECT b.step, b.wall_time, b.segment_id, g.relative_path, b.record_offset,"
            + " b.record_length, b.blob_count, b.blob_lengths, g.hot_deleted_at IS NOT NULL FROM blob_sequence_point b"
            + " JOIN raw_segment g ON g.id = b.segment_id WHERE b.series_id = ";

    private final Jdbc jdbc;
    private final RawSegmentReader segments;

    public PgBlobStore(Jdbc jdbc, RawSegmentReader segments) {
        this.jdbc = jdbc;
        this.segments = segments;
    }

    @Override
    public BlobRead list(long seriesId, StepRange range, int maxPoints) {
        List<Long> steps = jdbc.list(SqlFragment.builder().sql("SELECT step FROM blob_sequence_point WHERE series_id = ")
                .param(seriesId).sql(" AND step BETWEEN ").param(range.lo()).sql(" AND ").param(range.hi())
                .sql(" ORDER BY step").build(), rs -> rs.getLong(1));
        List<Long> chosen = EvenSample.of(steps, maxPoints);
        if (chosen.isEmpty()) {
            return new BlobRead(List.of(), 0);
        }
        List<BlobSequenceRef> refs = jdbc.list(SqlFragment.builder().sql(SELECT).param(seriesId)
                .sql(" AND b.step = ANY(").param(chosen).sql(") ORDER BY b.step").build(), PgBlobStore::map);
        return new BlobRead(refs, steps.size());
    }

    @Override
    public Optional<BlobSequenceRef> at(long seriesId, long step) {
        return jdbc.one(SqlFragment.builder().sql(SELECT).param(seriesId).sql(" AND b.step = ").param(step).build(),
                PgBlobStore::map);
    }

    @Override
    public byte[] blob(SeriesInfo series, BlobSequenceRef ref, int index) {
        byte[] payload = segments.readRecord(new RawSegmentReader.Segment(ref.segmentId(), ref.segmentPath(),
                ref.hotDeleted()), ref.recordOffset(), ref.recordLength());
        String where = "raw segment " + ref.segmentPath() + " at offset " + ref.recordOffset();
        Event event;
        try {
            event = Event.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptRawDataException(where + ": the record is not a tensorboard.Event: " + e.getMessage(), e);
        }
        if (event.getStep() != ref.step()) {
            throw new CorruptRawDataException(where + ": the event is at step " + event.getStep() + ", the index says "
                    + ref.step());
        }
        List<ByteString> blobs = BlobExtractor.blobs(event, series.tag(), series.plugin());
        if (blobs == null) {
            throw new CorruptRawDataException(where + ": the event holds no blobs for tag '" + series.tag() + "'");
        }
        if (blobs.size() != ref.blobCount()) {
            throw new CorruptRawDataException(where + ": the event holds " + blobs.size() + " blobs, the index says "
                    + ref.blobCount());
        }
        return blobs.get(index).toByteArray();
    }

    private static BlobSequenceRef map(ResultSet rs) throws SQLException {
        Object[] lengths = (Object[]) rs.getArray(8).getArray();
        int[] blobLengths = new int[lengths.length];
        for (int i = 0; i < lengths.length; i++) {
            blobLengths[i] = ((Number) lengths[i]).intValue();
        }
        return new BlobSequenceRef(rs.getLong(1), rs.getDouble(2), rs.getLong(3), rs.getString(4), rs.getLong(5),
                rs.getInt(6), rs.getInt(7), blobLengths, rs.getBoolean(9));
    }
}
