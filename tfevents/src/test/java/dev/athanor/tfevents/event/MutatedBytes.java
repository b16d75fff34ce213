package dev.athanor.tfevents.event;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A mutated copy of a file that remembers where each of its bytes came from, so that a test can
 * tell which of the original frames survived untouched and where they are now. The copy is a
 * list of segments: runs of original bytes (in order or duplicated) and new bytes.
 */
final class MutatedBytes {

    sealed interface Segment {
        int length();
    }

    /** {@code length} original bytes starting at original offset {@code from}. */
    record Original(int from, int length) implements Segment {
    }

    /** Bytes that did not come from the original. */
    record Literal(byte[] bytes) implements Segment {
        @Override
        public int length() {
            return bytes.length;
        }
    }

    /** A frame of the original file: where it starts and how long it is, frame overhead included. */
    record Frame(int offset, int length, byte[] payload) {
    }

    /** Where an untouched original frame now sits in the mutated bytes. */
    record Placed(long offset, Frame frame) {
    }

    private final byte[] original;
    private List<Segment> segments = new ArrayList<>();
    private final List<String> log = new ArrayList<>();

    MutatedBytes(byte[] original) {
        this.original = original;
        if (original.length > 0) {
            segments.add(new Original(0, original.length));
        }
    }

    int length() {
        return segments.stream().mapToInt(Segment::length).sum();
    }

    /** What was done, in order, for failure messages. */
    List<String> log() {
        return log;
    }

    void flipBit(int at, int bit) {
        byte flipped = (byte) (byteAt(at) ^ (1 << bit));
        replace(at, at + 1, List.of(new Literal(new byte[] {flipped})));
        log.add("flip(" + at + ", bit " + bit + ")");
    }

    void truncate(int at) {
        segments = slice(0, at);
        log.add("truncate(" + at + ")");
    }

    void insert(int at, byte[] bytes) {
        replace(at, at, List.of(new Literal(bytes.clone())));
        log.add("insert(" + at + ", " + bytes.length + " bytes)");
    }

    void delete(int from, int to) {
        replace(from, to, List.of());
        log.add("delete(" + from + ".." + to + ")");
    }

    void duplicate(int from, int to, int at) {
        List<Segment> copy = slice(from, to);
        replace(at, at, copy);
        log.add("duplicate(" + from + ".." + to + " at " + at + ")");
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length());
        for (Segment segment : segments) {
            switch (segment) {
                case Original o -> out.write(original, o.from(), o.length());
                case Literal l -> out.writeBytes(l.bytes());
            }
        }
        return out.toByteArray();
    }

    /**
     * The original frames whose every byte is still present, unchanged and contiguous, with their
     * new offsets. A frame inside a duplicated span appears once per copy.
     */
    List<Placed> untouchedFrames(List<Frame> frames) {
        List<Placed> placed = new ArrayList<>();
        long at = 0;
        for (Segment segment : segments) {
            if (segment instanceof Original o) {
                for (Frame frame : frames) {
                    if (frame.offset() >= o.from() && frame.offset() + frame.length() <= o.from() + o.length()) {
                        placed.add(new Placed(at + frame.offset() - o.from(), frame));
                    }
                }
            }
            at += segment.length();
        }
        placed.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        return placed;
    }

    private byte byteAt(int pos) {
        for (Segment segment : segments) {
            if (pos < segment.length()) {
                return switch (segment) {
                    case Original o -> original[o.from() + pos];
                    case Literal l -> l.bytes()[pos];
                };
            }
            pos -= segment.length();
        }
        throw new IndexOutOfBoundsException(pos);
    }

    private void replace(int from, int to, List<Segment> with) {
        List<Segment> next = new ArrayList<>(slice(0, from));
        next.addAll(with);
        next.addAll(slice(to, length()));
        segments = next;
    }

    /** The segments covering mutated positions [from, to). */
    private List<Segment> slice(int from, int to) {
        List<Segment> out = new ArrayList<>();
        int at = 0;
        for (Segment segment : segments) {
            int segStart = at;
            int segEnd = at + segment.length();
            at = segEnd;
            int lo = Math.max(from, segStart);
            int hi = Math.min(to, segEnd);
            if (lo >= hi) {
                continue;
            }
            out.add(switch (segment) {
                case Original o -> new Original(o.from() + lo - segStart, hi - lo);
                case Literal l -> new Literal(Arrays.copyOfRange(l.bytes(), lo - segStart, hi - segStart));
            });
        }
        return out;
    }
}
