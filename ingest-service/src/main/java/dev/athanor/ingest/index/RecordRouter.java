package dev.athanor.ingest.index;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.athanor.index.write.PgText;
import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.tfevents.compat.TimeSeries;
import dev.athanor.tfevents.decode.BlobSequencePoint;
import dev.athanor.tfevents.decode.DecodedValue;
import dev.athanor.tfevents.decode.HParamsExperiment;
import dev.athanor.tfevents.decode.HParamsSessionEnd;
import dev.athanor.tfevents.decode.HParamsSessionStart;
import dev.athanor.tfevents.decode.ScalarPoint;
import dev.athanor.tfevents.decode.SimpleScalarRecord;
import dev.athanor.tfevents.decode.TensorPoint;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.List;

/**
 * Decodes one run's records and routes their values to where the transaction gathers them:
 * scalars, tensors and blob references into their series' buffers, hparams and wall-time bounds
 * into the run's state, undecodable records and tags longer than the {@link TagBound} into problems. A step at or below the last step of
 * its series is a rewind: the series' points at steps >= it are replaced, as TensorBoard does.
 */
final class RecordRouter {

    /** Removes the series' points that earlier transactions wrote to the index at steps >= {@code step}. */
    @FunctionalInterface
    interface StoredRewind {
        void dropFrom(SeriesState series, long step) throws SQLException;
    }

    private final RunIndexState state;
    private final TagBound tagBound;
    private final StoredRewind storedRewind;
    private final SimpleScalarRecord simple = new SimpleScalarRecord();
    // Where the record being routed lies, for problems and blob references.
    private String fileName;
    private long sourceOffset;
    private int segmentSeq;
    private long segmentOffset;
    private int payloadLength;

    RecordRouter(RunIndexState state, TagBound tagBound, StoredRewind storedRewind) {
        this.state = state;
        this.tagBound = tagBound;
        this.storedRewind = storedRewind;
    }

    /**
     * Routes the record whose payload is {@code buf[off, off + len)}, found at {@code sourceOffset}
     * of source file {@code fileName} and framed at {@code segmentOffset} of segment {@code seq}.
     */
    void route(String fileName, long sourceOffset, int seq, long segmentOffset, byte[] buf, int off, int len)
            throws SQLException {
        this.fileName = fileName;
        this.sourceOffset = sourceOffset;
        this.segmentSeq = seq;
        this.segmentOffset = segmentOffset;
        this.payloadLength = len;
        if (len == 0) {
            problem("EMPTY_RECORD", "%s: record at offset %d is empty (0 bytes); kept raw, not indexed"
                    .formatted(fileName, sourceOffset));
            return;
        }
        if (simple.parse(buf, off, len)) {
            SeriesState s = state.series.get(simple.tag());
            if (s != null && s.series.dataClass() == DataClass.DATA_CLASS_SCALAR) {
                // The common case, without protobuf objects: same result as the full decoder.
                wallTime(simple.wallTime());
                rewindIfNeeded(s, simple.step());
                s.scalars.add(simple.step(), simple.wallTime(), simple.value());
                s.touched = true;
                return;
            }
        }
        Event event;
        try {
            event = Event.parseFrom(ByteBuffer.wrap(buf, off, len));
        } catch (InvalidProtocolBufferException e) {
            problem("NOT_AN_EVENT", "%s: record at offset %d (%d bytes) is not a tensorboard.Event: %s; kept raw, not indexed"
                    .formatted(fileName, sourceOffset, len, e.getMessage()));
            return;
        }
        if (looksForeign(event)) {
            problem("NOT_AN_EVENT", "%s: record at offset %d (%d bytes) is not a tensorboard.Event: no known field is set; kept raw, not indexed"
                    .formatted(fileName, sourceOffset, len));
            return;
        }
        wallTime(event.getWallTime());
        long problemsBefore = state.decoder.problemCount();
        List<DecodedValue> values = state.decoder.decode(event);
        if (state.decoder.problemCount() > problemsBefore) {
            problem("DECODE", "%s: record at offset %d: %d value(s) did not fit their series and were kept in their own form"
                    .formatted(fileName, sourceOffset, state.decoder.problemCount() - problemsBefore));
        }
        for (DecodedValue v : values) {
            route(v);
        }
    }

    /** Bytes that parse, but only into unknown fields, are not an Event. */
    static boolean looksForeign(Event event) {
        return !event.getUnknownFields().asMap().isEmpty()
                && event.getWhatCase() == Event.WhatCase.WHAT_NOT_SET
                && event.getWallTime() == 0.0
                && event.getStep() == 0
                && !event.hasSourceMetadata();
    }

    private void wallTime(double wall) {
        if (wall > 0) {
            if (Double.isNaN(state.minWallTime) || wall < state.minWallTime) {
                state.minWallTime = wall;
            }
            if (Double.isNaN(state.maxWallTime) || wall > state.maxWallTime) {
                state.maxWallTime = wall;
            }
        }
    }

    private void route(DecodedValue v) throws SQLException {
        switch (v) {
            case ScalarPoint p -> {
                SeriesState s = series(p.series());
                if (s != null) {
                    rewindIfNeeded(s, p.step());
                    s.scalars.add(p.step(), p.wallTime(), p.value());
                    s.touched = true;
                }
            }
            case TensorPoint p -> {
                SeriesState s = series(p.series());
                if (s != null) {
                    rewindIfNeeded(s, p.step());
                    s.tensors.add(new SeriesState.TensorRow(p.step(), p.wallTime(), p.tensor().getDtypeValue(),
                            p.shape(), p.tensor().toByteArray()));
                    s.touched = true;
                }
            }
            case BlobSequencePoint p -> {
                SeriesState s = series(p.series());
                if (s != null) {
                    rewindIfNeeded(s, p.step());
                    int[] lengths = new int[p.blobs().size()];
                    for (int i = 0; i < lengths.length; i++) {
                        lengths[i] = p.blobs().get(i).size();
                    }
                    s.blobs.add(new SeriesState.BlobRow(p.step(), p.wallTime(), segmentSeq, segmentOffset,
                            payloadLength, lengths));
                    s.touched = true;
                }
            }
            case HParamsExperiment e -> state.hparamsConfigJson = HParamsJson.experiment(e);
            case HParamsSessionStart s -> {
                state.hparamsJson = HParamsJson.values(s.hparams());
                state.sessionGroup = s.groupName();
                state.sessionStartSecs = s.startTimeSecs();
                state.sessionModelUri = s.modelUri();
                state.sessionMonitorUrl = s.monitorUrl();
            }
            case HParamsSessionEnd e -> {
                state.sessionStatus = e.status().name();
                state.sessionEndSecs = e.endTimeSecs();
            }
        }
    }

    /** The value's series, or null when its tag is over the bound (recorded once per tag as a problem). */
    private SeriesState series(TimeSeries ts) {
        String tag = PgText.clean(ts.tag());
        SeriesState s = state.series.get(tag);
        if (s == null) {
            if (!tagBound.admits(tag)) {
                if (state.refusedTags.add(tag)) {
                    problem("TAG_TOO_LONG", ("%s: record at offset %d: tag \"%s\" is %d bytes, over the %d-byte bound "
                            + "(max_tag_bytes); its values are kept raw, not indexed").formatted(fileName, sourceOffset,
                            TagBound.preview(tag), TagBound.utf8Length(tag), tagBound.maxBytes()));
                }
                return null;
            }
            s = new SeriesState(tag, ts);
            state.series.put(tag, s);
        }
        return s;
    }

    /** Drops the points a rewind to {@code step} replaces: buffered ones here, stored ones through {@link StoredRewind}. */
    private void rewindIfNeeded(SeriesState s, long step) throws SQLException {
        if (!s.scalars.isEmpty() && step > s.scalars.lastStep() && s.tensors.isEmpty() && s.blobs.isEmpty()) {
            return; // steps going up: the usual case, decided without boxing
        }
        Long last = s.effectiveLastStep();
        if (last == null || step > last) {
            return;
        }
        s.truncateBuffered(step);
        if (s.id != 0 && s.rollup.lastStep() != null && step <= s.rollup.lastStep()) {
            storedRewind.dropFrom(s, step);
        }
    }

    private void problem(String kind, String message) {
        state.problems.add(new RunIndexState.Problem(fileName, sourceOffset, kind, message));
    }
}
