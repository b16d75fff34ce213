package dev.athanor.profile.index;

import dev.athanor.profile.decode.EventKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A decoded trace: the summaries (steps, ops, memory) in memory, the events on disk sorted per
 * lane in blocks, so a timeline window reads only the blocks it overlaps. Times in the summaries
 * and windows are nanoseconds from the trace's first event ({@link #originNs()} on its clock).
 */
public final class ProfileIndex implements AutoCloseable {

    /** One record of the timeline file: start, duration, key, depth. */
    static final int RECORD = 8 + 8 + 4 + 2;
    static final int BLOCK = 4096;

    /** What an event is: its name, op type or category, and kind (interned; events refer to it by number). */
    public record Key(String name, String type, EventKind kind) {
    }

    public record Lane(int index, String name, boolean device, long events) {
    }

    /** One step: its span and where the time went (ns); the parts add up to the duration. */
    public record Step(long step, String name, long startNs, long durationNs, long deviceCompute, long memcpyComm,
                       long input, long hostCompute, long other, long idle) {
    }

    public record Op(String name, String type, EventKind kind, long count, long totalNs, long selfNs) {
    }

    public record Memory(String name, long[] timeNs, long[] bytes) {
    }

    /** An event of a window; {@code count} > 1 stands for that many short events merged (key: the longest). */
    public record WindowEvent(int lane, long startNs, long durationNs, int key, int depth, int count) {
    }

    public record Window(long startNs, long endNs, long resolutionNs, List<WindowEvent> events, boolean truncated) {
    }

    /** Where a lane's sorted records are: per block its file offset, count, first start and latest end. */
    record Blocks(long[] offset, int[] count, long[] minStart, long[] maxEnd) {
    }

    private final Path timeline;
    private final long originNs;
    private final long spanNs;
    private final long events;
    private final List<Key> keys;
    private final List<Lane> lanes;
    private final List<Blocks> blocks;
    private final List<Step> steps;
    private final List<Op> ops;
    private final List<Memory> memory;
    private final Map<String, Long> skipped;

    ProfileIndex(Path timeline, long originNs, long spanNs, long events, List<Key> keys, List<Lane> lanes,
                 List<Blocks> blocks, List<Step> steps, List<Op> ops, List<Memory> memory, Map<String, Long> skipped) {
        this.timeline = timeline;
        this.originNs = originNs;
        this.spanNs = spanNs;
        this.events = events;
        this.keys = keys;
        this.lanes = lanes;
        this.blocks = blocks;
        this.steps = steps;
        this.ops = ops;
        this.memory = memory;
        this.skipped = skipped;
    }

    public long originNs() {
        return originNs;
    }

    public long spanNs() {
        return spanNs;
    }

    public long events() {
        return events;
    }

    public List<Key> keys() {
        return keys;
    }

    public List<Lane> lanes() {
        return lanes;
    }

    public List<Step> steps() {
        return steps;
    }

    /** Every op, by self time (largest first). */
    public List<Op> ops() {
        return ops;
    }

    public List<Memory> memory() {
        return memory;
    }

    /** What was left out of the trace and how often. */
    public Map<String, Long> skipped() {
        return skipped;
    }

    /**
     * The events overlapping [fromNs, toNs), decimated to {@code width} columns: events shorter than
     * one column are merged with their neighbours at the same depth of the same lane.
     */
    public Window window(long fromNs, long toNs, int width, int maxEvents) {
        long from = originNs + fromNs;
        long to = originNs + Math.max(toNs, fromNs + 1);
        long resolution = Math.max(1, (to - from) / Math.max(1, width));
        List<WindowEvent> out = new ArrayList<>();
        boolean truncated = false;
        ByteBuffer buffer = ByteBuffer.allocate(BLOCK * RECORD).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(timeline, StandardOpenOption.READ)) {
            for (int lane = 0; lane < lanes.size() && !truncated; lane++) {
                Decimator merge = new Decimator(lane, resolution, originNs, out);
                Blocks b = blocks.get(lane);
                for (int i = 0; i < b.offset().length && b.minStart()[i] < to; i++) {
                    if (b.maxEnd()[i] < from) {
                        continue;
                    }
                    buffer.clear().limit(b.count()[i] * RECORD);
                    readFully(channel, buffer, b.offset()[i]);
                    buffer.flip();
                    for (int r = 0; r < b.count()[i]; r++) {
                        long start = buffer.getLong();
                        long duration = buffer.getLong();
                        int key = buffer.getInt();
                        int depth = buffer.getShort();
                        if (start < to && start + duration >= from) {
                            merge.add(start, duration, key, depth);
                        }
                    }
                }
                merge.flush();
                truncated = out.size() > maxEvents;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("timeline index " + timeline + ": " + e.getMessage(), e);
        }
        if (truncated) {
            out = new ArrayList<>(out.subList(0, maxEvents));
        }
        return new Window(fromNs, toNs, resolution, out, truncated);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new IOException("ends early");
            }
            position += n;
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(timeline);
        } catch (IOException e) {
            // a leftover file in the cache directory is removed with it
        }
    }
}
