package dev.athanor.profile.decode;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams an {@code XSpace} ({@code xplane.proto}) into a {@link TraceSink} without building the
 * message: lines and events are read field by field. A plane stores its event and stat metadata
 * after its lines, so the file is read twice: first the metadata (lines skipped), then the events.
 */
public final class XPlaneReader {

    // XSpace
    private static final int SPACE_PLANES = 1;
    // XPlane
    private static final int PLANE_ID = 1;
    private static final int PLANE_NAME = 2;
    private static final int PLANE_LINES = 3;
    private static final int PLANE_EVENT_METADATA = 4;
    private static final int PLANE_STAT_METADATA = 5;
    // XLine
    private static final int LINE_NAME = 2;
    private static final int LINE_TIMESTAMP_NS = 3;
    private static final int LINE_EVENTS = 4;
    private static final int LINE_DISPLAY_NAME = 11;
    // XEvent
    private static final int EVENT_METADATA_ID = 1;
    private static final int EVENT_OFFSET_PS = 2;
    private static final int EVENT_DURATION_PS = 3;
    private static final int EVENT_STATS = 4;
    private static final int EVENT_NUM_OCCURRENCES = 5;
    // XStat
    private static final int STAT_METADATA_ID = 1;
    private static final int STAT_DOUBLE = 2;
    private static final int STAT_UINT64 = 3;
    private static final int STAT_INT64 = 4;
    private static final int STAT_STR = 5;
    private static final int STAT_REF = 7;
    // map entries, XEventMetadata, XStatMetadata
    private static final int ENTRY_VALUE = 2;
    private static final int METADATA_NAME = 2;
    private static final int METADATA_DISPLAY_NAME = 4;

    /** Device lines derived from the others: shown, never counted as ops. */
    private static final Set<String> DERIVED_LINES = Set.of("XLA Modules", "TensorFlow Ops", "TensorFlow Name Scope",
            "Source code", "Launch Stats", "XLA TraceMe", "Framework Ops", "Framework Name Scope");
    private static final String XLA_OPS = "XLA Ops";
    private static final String STEPS = "Steps";

    private record EventMeta(String name, String displayName) {
    }

    private record PlaneMeta(String name, Map<Long, EventMeta> events, Map<Long, String> stats, Set<String> lines) {
        boolean device() {
            return name.startsWith("/device:");
        }
    }

    private final TraceSource source;
    private final TraceSink sink;
    private final int maxMetadata;
    private final List<PlaneMeta> planes = new ArrayList<>();
    private int metadataCount;
    private long nextLane;

    private XPlaneReader(TraceSource source, TraceSink sink, int maxMetadata) {
        this.source = source;
        this.sink = sink;
        this.maxMetadata = maxMetadata;
    }

    /** Reads the whole file; a damaged one throws naming the file, the byte offset and the plane/line. */
    /** Times {@link #read} reads the file: a plane's metadata follows its lines, so it is read first. */
    public static final int PASSES = 2;

    public static void read(TraceSource source, TraceSink sink, int maxMetadata) {
        XPlaneReader reader = new XPlaneReader(source, sink, maxMetadata);
        reader.pass("metadata", reader::readPlaneMetadata);
        reader.pass("events", reader::readPlaneEvents);
    }

    private interface PlaneVisitor {
        void plane(CodedInputStream in, int index, String[] where) throws IOException;
    }

    private void pass(String what, PlaneVisitor visitor) {
        String[] where = {""};
        CodedInputStream in = null;
        try (InputStream stream = source.open()) {
            in = CodedInputStream.newInstance(stream, 1 << 16);
            in.setSizeLimit(Integer.MAX_VALUE);
            int plane = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == SPACE_PLANES
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    where[0] = "plane " + plane;
                    visitor.plane(in, plane++, where);
                    in.popLimit(limit);
                } else {
                    in.skipField(tag);
                }
            }
        } catch (ProfileDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            long offset = in == null ? 0 : in.getTotalBytesRead();
            throw new ProfileDecodeException(source.name() + ": not a readable XSpace (reading " + what + ", "
                    + where[0] + ", byte " + offset + "): " + e.getMessage(), e);
        }
    }

    private void readPlaneMetadata(CodedInputStream in, int index, String[] where) throws IOException {
        String name = "";
        Map<Long, EventMeta> events = new HashMap<>();
        Map<Long, String> stats = new HashMap<>();
        Set<String> lines = new HashSet<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case PLANE_NAME -> {
                    name = in.readStringRequireUtf8();
                    where[0] = "plane " + index + " '" + name + "'";
                }
                case PLANE_LINES -> lines.add(lineName(in));
                case PLANE_EVENT_METADATA -> readEntry(in, (id, value) -> events.put(id, eventMeta(value)));
                case PLANE_STAT_METADATA -> readEntry(in, (id, value) -> stats.put(id, statName(value)));
                default -> in.skipField(tag);
            }
        }
        planes.add(new PlaneMeta(name, events, stats, lines));
    }

    /** A line's name, the rest of it skipped. */
    private static String lineName(CodedInputStream in) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        String name = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == LINE_NAME) {
                name = in.readStringRequireUtf8();
            } else if (WireFormat.getTagFieldNumber(tag) == LINE_EVENTS) {
                in.skipRawBytes(in.getBytesUntilLimit());
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(limit);
        return name;
    }

    private interface EntryValue {
        void accept(long key, CodedInputStream value) throws IOException;
    }

    private void readEntry(CodedInputStream in, EntryValue value) throws IOException {
        if (++metadataCount > maxMetadata) {
            throw new ProfileDecodeException(source.name() + ": more than " + maxMetadata
                    + " event/stat metadata entries; too big to decode here");
        }
        int limit = in.pushLimit(in.readRawVarint32());
        long key = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 1) {
                key = in.readInt64();
            } else if (field == ENTRY_VALUE) {
                int inner = in.pushLimit(in.readRawVarint32());
                value.accept(key, in);
                in.popLimit(inner);
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(limit);
    }

    private static EventMeta eventMeta(CodedInputStream in) throws IOException {
        String name = "";
        String display = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case METADATA_NAME -> name = in.readStringRequireUtf8();
                case METADATA_DISPLAY_NAME -> display = in.readStringRequireUtf8();
                default -> in.skipField(tag);
            }
        }
        return new EventMeta(name, display);
    }

    private static String statName(CodedInputStream in) throws IOException {
        String name = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == METADATA_NAME) {
                name = in.readStringRequireUtf8();
            } else {
                in.skipField(tag);
            }
        }
        return name;
    }

    // ---- pass 2: events ----

    private void readPlaneEvents(CodedInputStream in, int index, String[] where) throws IOException {
        PlaneMeta plane = planes.get(index);
        where[0] = "plane " + index + " '" + plane.name() + "'";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == PLANE_LINES) {
                int limit = in.pushLimit(in.readRawVarint32());
                readLine(in, plane, where);
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
    }

    /** The stats of one event that the report uses. */
    private static final class Stats {
        Long stepNum;
        Long bytesAllocated;
        String allocator;
        String category;

        void clear() {
            stepNum = null;
            bytesAllocated = null;
            allocator = null;
            category = null;
        }
    }

    private void readLine(CodedInputStream in, PlaneMeta plane, String[] where) throws IOException {
        long lane = nextLane++;
        String name = "";
        long timestampNs = 0;
        boolean declared = false;
        Stats stats = new Stats();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case LINE_NAME -> name = in.readStringRequireUtf8();
                case LINE_TIMESTAMP_NS -> timestampNs = in.readInt64();
                case LINE_DISPLAY_NAME -> {
                    String display = in.readStringRequireUtf8();
                    if (!display.isEmpty()) {
                        sink.lane(lane, plane.name() + " · " + display, plane.device());
                        declared = true;
                    }
                }
                case LINE_EVENTS -> {
                    if (!declared) {
                        sink.lane(lane, plane.name() + " · " + name, plane.device());
                        declared = true;
                        where[0] = "plane '" + plane.name() + "', line '" + name + "'";
                    }
                    int limit = in.pushLimit(in.readRawVarint32());
                    readEvent(in, plane, name, lane, timestampNs, stats);
                    in.popLimit(limit);
                }
                default -> in.skipField(tag);
            }
        }
        if (!declared) {
            sink.lane(lane, plane.name() + " · " + name, plane.device());
        }
    }

    private void readEvent(CodedInputStream in, PlaneMeta plane, String line, long lane, long timestampNs, Stats stats)
            throws IOException {
        long metadataId = 0;
        long offsetPs = 0;
        long durationPs = 0;
        boolean aggregated = false;
        stats.clear();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case EVENT_METADATA_ID -> metadataId = in.readInt64();
                case EVENT_OFFSET_PS -> offsetPs = in.readInt64();
                case EVENT_DURATION_PS -> durationPs = in.readInt64();
                case EVENT_NUM_OCCURRENCES -> {
                    in.readInt64();
                    aggregated = true;
                }
                case EVENT_STATS -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    readStat(in, plane, stats);
                    in.popLimit(limit);
                }
                default -> in.skipField(tag);
            }
        }
        if (aggregated) {
            sink.skipped("aggregated XEvents (num_occurrences, no time)");
            return;
        }
        EventMeta meta = plane.events().get(metadataId);
        if (meta == null) {
            sink.skipped("XEvents whose metadata_id has no XEventMetadata");
            return;
        }
        long start = timestampNs + Math.floorDiv(offsetPs, 1000);
        long duration = Math.max(0, durationPs / 1000);
        if (stats.bytesAllocated != null) {
            sink.memory(stats.allocator != null ? stats.allocator : plane.name(), start, stats.bytesAllocated);
        }
        String name = meta.name();
        if (plane.device()) {
            deviceEvent(plane, line, lane, start, duration, meta, stats);
        } else if (stats.stepNum != null && !tfOp(meta)) {
            sink.step(lane, stats.stepNum, start, duration, name);
        } else if (tfOp(meta)) {
            boolean input = Classifier.input(name) || line.startsWith("tf_data");
            sink.event(lane, start, duration, name, meta.displayName(), input ? EventKind.INPUT_OP : EventKind.HOST_OP);
        } else {
            boolean input = Classifier.input(name) || line.startsWith("tf_data");
            sink.event(lane, start, duration, name, meta.displayName(), input ? EventKind.INPUT : EventKind.OTHER);
        }
    }

    /** TensorFlow's executor names an op event {@code <node name>:<op type>}, the type also its display name. */
    private static boolean tfOp(EventMeta meta) {
        return !meta.displayName().isEmpty() && meta.name().endsWith(":" + meta.displayName());
    }

    private void deviceEvent(PlaneMeta plane, String line, long lane, long start, long duration, EventMeta meta,
                             Stats stats) {
        String name = meta.name();
        if (line.equals(STEPS)) {
            long step = stats.stepNum != null ? stats.stepNum : parseStep(name);
            sink.step(lane, step, start, duration, name);
            return;
        }
        String type = stats.category != null ? stats.category : meta.displayName();
        if (DERIVED_LINES.contains(line)) {
            sink.event(lane, start, duration, name, type, EventKind.OTHER);
        } else if (Classifier.copyOrCollective(name)) {
            sink.event(lane, start, duration, name, type, EventKind.MEMCPY);
        } else {
            boolean counted = line.equals(XLA_OPS) || !plane.lines().contains(XLA_OPS);
            sink.event(lane, start, duration, name, type, counted ? EventKind.DEVICE_OP : EventKind.DEVICE);
        }
    }

    private static long parseStep(String name) {
        try {
            return Long.parseLong(name.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void readStat(CodedInputStream in, PlaneMeta plane, Stats stats) throws IOException {
        String name = null;
        Long number = null;
        String text = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case STAT_METADATA_ID -> name = plane.stats().get(in.readInt64());
                case STAT_INT64 -> number = in.readInt64();
                case STAT_UINT64 -> number = in.readUInt64();
                case STAT_DOUBLE -> number = (long) in.readDouble();
                case STAT_STR -> text = in.readStringRequireUtf8();
                case STAT_REF -> text = plane.stats().get(in.readUInt64());
                default -> in.skipField(tag);
            }
        }
        if (name == null) {
            return;
        }
        switch (name) {
            case "step_num" -> stats.stepNum = number;
            case "bytes_allocated" -> stats.bytesAllocated = number;
            case "allocator_name" -> stats.allocator = text;
            case "hlo_category" -> stats.category = text;
            default -> {
            }
        }
    }
}
