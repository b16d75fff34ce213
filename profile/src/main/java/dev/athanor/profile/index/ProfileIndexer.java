package dev.athanor.profile.index;

import dev.athanor.profile.DecodeProgress;
import dev.athanor.profile.decode.EventKind;
import dev.athanor.profile.decode.ProfileDecodeException;
import dev.athanor.profile.decode.TraceSink;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a {@link ProfileIndex} from a reader's events in two passes. While the file is read,
 * events are buffered per lane and spilled to disk in blocks (file order, any interleaving of
 * lanes). Then each lane alone is loaded, sorted by time and walked once: nesting depth, self time
 * of ops (an op's time minus the ops directly inside it), the step-time breakdown, and the sorted
 * timeline file.
 */
public final class ProfileIndexer implements TraceSink {

    private static final int SPILL_BLOCK = 4096;
    private static final int MEMORY_POINTS = 10_000;
    private static final int MEMORY_SERIES = 16;

    private final String file;
    private final Path dir;
    private final Limits limits;
    private final DecodeProgress progress;
    private final Path spill;
    private final DataOutputStream spillOut;
    private long spillOffset;

    private final Map<ProfileIndex.Key, Integer> keyIds = new HashMap<>();
    private final List<ProfileIndex.Key> keys = new ArrayList<>();
    private final Map<Long, Integer> laneIds = new HashMap<>();
    private final List<LaneBuffer> lanes = new ArrayList<>();
    private final TreeMap<Long, long[]> steps = new TreeMap<>();
    private final Map<Long, String> stepNames = new HashMap<>();
    private final Map<String, MemorySeries> memory = new LinkedHashMap<>();
    private final Map<String, Long> skipped = new TreeMap<>();
    private long events;
    private long minStart = Long.MAX_VALUE;
    private long maxEnd = Long.MIN_VALUE;

    /** One lane while the file is read: its name, the events not yet spilled, where its blocks went. */
    private static final class LaneBuffer {
        String name;
        boolean device;
        long[] start = new long[64];
        long[] duration = new long[64];
        int[] key = new int[64];
        int size;
        long total;
        final List<long[]> blocks = new ArrayList<>();  // {offset, count}
    }

    /**
     * @param file names the trace in messages
     * @param dir  a directory for this trace's files (the spill is deleted when built; the timeline stays)
     */
    public ProfileIndexer(String file, Path dir, Limits limits) {
        this(file, dir, limits, new DecodeProgress(0));
    }

    /** @param progress told how many events are sorted and measured so far */
    public ProfileIndexer(String file, Path dir, Limits limits, DecodeProgress progress) {
        this.file = file;
        this.dir = dir;
        this.limits = limits;
        this.progress = progress;
        try {
            Files.createDirectories(dir);
            this.spill = Files.createTempFile(dir, "spill", ".bin");
            OutputStream out = Files.newOutputStream(spill);
            this.spillOut = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void lane(long laneId, String name, boolean device) {
        LaneBuffer lane = laneFor(laneId);
        lane.name = name;
        lane.device |= device;
    }

    private LaneBuffer laneFor(long laneId) {
        Integer index = laneIds.get(laneId);
        if (index == null) {
            if (lanes.size() >= limits.maxLanes()) {
                throw new ProfileDecodeException(file + ": more than " + limits.maxLanes() + " threads/streams; "
                        + "too big to decode here");
            }
            index = lanes.size();
            laneIds.put(laneId, index);
            LaneBuffer lane = new LaneBuffer();
            lane.name = "lane " + laneId;
            lanes.add(lane);
        }
        return lanes.get(index);
    }

    @Override
    public void event(long laneId, long startNs, long durationNs, String name, String type, EventKind kind) {
        LaneBuffer lane = laneFor(laneId);
        lane.device |= kind.device();
        int key = key(new ProfileIndex.Key(name, type == null ? "" : type, kind));
        if (++events > limits.maxEvents()) {
            throw new ProfileDecodeException(file + ": more than " + limits.maxEvents() + " events; too big to decode here");
        }
        if (++lane.total > limits.maxLaneEvents()) {
            throw new ProfileDecodeException(file + ": more than " + limits.maxLaneEvents() + " events on '"
                    + lane.name + "'; too big to decode here");
        }
        if (lane.size == lane.start.length) {
            if (lane.size >= SPILL_BLOCK) {
                spill(lane);
            } else {
                int grown = Math.min(SPILL_BLOCK, lane.size * 4);
                lane.start = Arrays.copyOf(lane.start, grown);
                lane.duration = Arrays.copyOf(lane.duration, grown);
                lane.key = Arrays.copyOf(lane.key, grown);
            }
        }
        lane.start[lane.size] = startNs;
        lane.duration[lane.size] = durationNs;
        lane.key[lane.size++] = key;
        minStart = Math.min(minStart, startNs);
        maxEnd = Math.max(maxEnd, startNs + durationNs);
    }

    private int key(ProfileIndex.Key key) {
        Integer id = keyIds.get(key);
        if (id == null) {
            if (keys.size() >= limits.maxKeys()) {
                throw new ProfileDecodeException(file + ": more than " + limits.maxKeys()
                        + " distinct event names; too big to decode here");
            }
            id = keys.size();
            keyIds.put(key, id);
            keys.add(key);
        }
        return id;
    }

    private void spill(LaneBuffer lane) {
        try {
            lane.blocks.add(new long[] {spillOffset, lane.size});
            for (int i = 0; i < lane.size; i++) {
                spillOut.writeLong(lane.start[i]);
                spillOut.writeLong(lane.duration[i]);
                spillOut.writeInt(lane.key[i]);
            }
            spillOffset += (long) lane.size * 20;
            lane.size = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("profile spill " + spill + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void step(long laneId, long step, long startNs, long durationNs, String name) {
        event(laneId, startNs, durationNs, name, "step", EventKind.STEP);
        long[] span = steps.get(step);
        if (span == null) {
            steps.put(step, new long[] {startNs, startNs + durationNs});
            stepNames.put(step, name);
        } else {
            span[0] = Math.min(span[0], startNs);
            span[1] = Math.max(span[1], startNs + durationNs);
        }
    }

    @Override
    public void memory(String series, long timeNs, long bytes) {
        MemorySeries s = memory.get(series);
        if (s == null) {
            if (memory.size() >= MEMORY_SERIES) {
                skipped("memory samples of series beyond the first " + MEMORY_SERIES);
                return;
            }
            s = new MemorySeries(MEMORY_POINTS);
            memory.put(series, s);
        }
        s.add(timeNs, bytes);
    }

    @Override
    public void skipped(String what) {
        skipped.merge(what, 1L, Long::sum);
    }

    /** Sorts, measures and writes the timeline; the spill is deleted. */
    public ProfileIndex build() {
        try {
            for (LaneBuffer lane : lanes) {
                if (lane.size > 0) {
                    spill(lane);
                }
            }
            spillOut.close();
            return analyse();
        } catch (IOException e) {
            throw new UncheckedIOException("profile index in " + dir + ": " + e.getMessage(), e);
        } finally {
            try {
                spillOut.close();
                Files.deleteIfExists(spill);
            } catch (IOException e) {
                // the directory is the cache's; it removes leftovers with it
            }
        }
    }

    /** Deletes what was written so far (a trace that failed to decode). */
    public void discard() {
        try {
            spillOut.close();
            Files.deleteIfExists(spill);
        } catch (IOException e) {
            // as above
        }
    }

    private ProfileIndex analyse() throws IOException {
        long origin = minStart == Long.MAX_VALUE ? 0 : minStart;
        List<long[]> stepSpans = new ArrayList<>();   // {number, start, end}, by start
        steps.forEach((n, span) -> stepSpans.add(new long[] {n, span[0], span[1]}));
        stepSpans.sort(Comparator.comparingLong(s -> s[1]));
        long[] stepStarts = stepSpans.stream().mapToLong(s -> s[1]).toArray();
        EventKind.Category[] categories = EventKind.Category.values();
        IntervalUnion[][] parts = new IntervalUnion[stepSpans.size()][categories.length];
        for (IntervalUnion[] p : parts) {
            for (int c = 0; c < p.length; c++) {
                p[c] = new IntervalUnion();
            }
        }
        long[] count = new long[keys.size()];
        long[] total = new long[keys.size()];
        long[] self = new long[keys.size()];
        progress.building(events);

        Path timeline = Files.createTempFile(dir, "timeline", ".bin");
        List<ProfileIndex.Lane> laneList = new ArrayList<>();
        List<ProfileIndex.Blocks> blockList = new ArrayList<>();
        try (FileChannel in = FileChannel.open(spill, StandardOpenOption.READ);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(timeline), 1 << 16))) {
            long outOffset = 0;
            for (int l = 0; l < lanes.size(); l++) {
                LaneBuffer lane = lanes.get(l);
                int n = (int) lane.total;
                long[] start = new long[n];
                long[] duration = new long[n];
                int[] key = new int[n];
                load(in, lane, start, duration, key);
                int[] order = LaneSort.order(start, duration, n);
                int blocks = (n + ProfileIndex.BLOCK - 1) / ProfileIndex.BLOCK;
                ProfileIndex.Blocks b = new ProfileIndex.Blocks(new long[blocks], new int[blocks], new long[blocks],
                        new long[blocks]);
                int[] all = new int[16];
                int allTop = 0;
                int[] ops = new int[16];
                int opTop = 0;
                for (int r = 0; r < n; r++) {
                    int i = order[r];
                    long s = start[i];
                    long e = s + duration[i];
                    while (allTop > 0 && start[all[allTop - 1]] + duration[all[allTop - 1]] <= s) {
                        allTop--;
                    }
                    int depth = Math.min(allTop, Short.MAX_VALUE);
                    if (allTop == all.length) {
                        all = Arrays.copyOf(all, allTop * 2);
                    }
                    all[allTop++] = i;
                    int k = key[i];
                    EventKind kind = keys.get(k).kind();
                    if (kind.op()) {
                        while (opTop > 0 && start[ops[opTop - 1]] + duration[ops[opTop - 1]] <= s) {
                            opTop--;
                        }
                        count[k]++;
                        total[k] += duration[i];
                        self[k] += duration[i];
                        if (opTop > 0) {
                            int parent = ops[opTop - 1];
                            self[key[parent]] -= Math.min(e, start[parent] + duration[parent]) - s;
                        }
                        if (opTop == ops.length) {
                            ops = Arrays.copyOf(ops, opTop * 2);
                        }
                        ops[opTop++] = i;
                    }
                    if (kind.category() != null) {
                        addToSteps(parts, stepSpans, stepStarts, kind.category().ordinal(), s, e);
                    }
                    int block = r / ProfileIndex.BLOCK;
                    if (r % ProfileIndex.BLOCK == 0) {
                        b.offset()[block] = outOffset;
                        b.minStart()[block] = s;
                        b.maxEnd()[block] = e;
                    }
                    b.count()[block]++;
                    b.maxEnd()[block] = Math.max(b.maxEnd()[block], e);
                    out.writeLong(Long.reverseBytes(s));
                    out.writeLong(Long.reverseBytes(duration[i]));
                    out.writeInt(Integer.reverseBytes(k));
                    out.writeShort(Short.reverseBytes((short) depth));
                    outOffset += ProfileIndex.RECORD;
                }
                laneList.add(new ProfileIndex.Lane(l, lane.name, lane.device, n));
                blockList.add(b);
                progress.built(n);
            }
        }

        List<ProfileIndex.Step> stepList = new ArrayList<>();
        for (int s = 0; s < stepSpans.size(); s++) {
            long[] span = stepSpans.get(s);
            long[] share = new long[categories.length];
            IntervalUnion covered = new IntervalUnion();
            for (int c = 0; c < categories.length; c++) {
                long before = covered.length();
                covered.addAll(parts[s][c]);
                share[c] = covered.length() - before;
            }
            long duration = span[2] - span[1];
            stepList.add(new ProfileIndex.Step(span[0], stepNames.get(span[0]), span[1] - origin, duration,
                    share[EventKind.Category.DEVICE_COMPUTE.ordinal()], share[EventKind.Category.MEMCPY_COMM.ordinal()],
                    share[EventKind.Category.INPUT.ordinal()], share[EventKind.Category.HOST_COMPUTE.ordinal()],
                    share[EventKind.Category.OTHER.ordinal()], Math.max(0, duration - covered.length())));
        }
        List<ProfileIndex.Op> opList = new ArrayList<>();
        for (int k = 0; k < keys.size(); k++) {
            if (count[k] > 0) {
                ProfileIndex.Key key = keys.get(k);
                opList.add(new ProfileIndex.Op(key.name(), key.type(), key.kind(), count[k], total[k], Math.max(0, self[k])));
            }
        }
        opList.sort(Comparator.comparingLong(ProfileIndex.Op::selfNs).reversed().thenComparing(ProfileIndex.Op::name));
        List<ProfileIndex.Memory> memoryList = new ArrayList<>();
        memory.forEach((name, series) -> memoryList.add(series.sorted(name, origin)));
        long span = maxEnd == Long.MIN_VALUE ? 0 : maxEnd - origin;
        return new ProfileIndex(timeline, origin, span, events, List.copyOf(keys), List.copyOf(laneList),
                List.copyOf(blockList), List.copyOf(stepList), List.copyOf(opList), List.copyOf(memoryList),
                Map.copyOf(skipped));
    }

    private static void load(FileChannel in, LaneBuffer lane, long[] start, long[] duration, int[] key)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(SPILL_BLOCK * 20).order(ByteOrder.BIG_ENDIAN);
        int n = 0;
        for (long[] block : lane.blocks) {
            buffer.clear().limit((int) block[1] * 20);
            long position = block[0];
            while (buffer.hasRemaining()) {
                int read = in.read(buffer, position);
                if (read < 0) {
                    throw new IOException("the spill file ends early");
                }
                position += read;
            }
            buffer.flip();
            for (int i = 0; i < block[1]; i++) {
                start[n] = buffer.getLong();
                duration[n] = buffer.getLong();
                key[n++] = buffer.getInt();
            }
        }
    }

    private static void addToSteps(IntervalUnion[][] parts, List<long[]> spans, long[] starts, int category,
                                   long s, long e) {
        int first = Arrays.binarySearch(starts, s);
        first = first >= 0 ? first : Math.max(0, -first - 2);
        for (int i = first; i < spans.size() && spans.get(i)[1] < e; i++) {
            long[] span = spans.get(i);
            parts[i][category].add(Math.max(s, span[1]), Math.min(e, span[2]));
        }
    }
}
