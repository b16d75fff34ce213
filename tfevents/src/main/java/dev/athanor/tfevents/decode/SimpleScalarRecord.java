package dev.athanor.tfevents.decode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads, without building protobuf objects, the record shapes that dominate scalar-heavy streams:
 * {@code Event{wall_time, step, summary{value{tag, simple_value}}}} with nothing else set (what
 * PyTorch's SummaryWriter, tensorboardX and TF1 write for every scalar after the first), and the
 * same with a rank-0 DT_FLOAT/DT_DOUBLE tensor holding one value (TF2's tf.summary.scalar,
 * PyTorch's new-style scalars), metadata included (it is ignored for a known series).
 * Any other shape, or anything unexpected, answers false and the caller decodes the record fully,
 * so the result is always the same as the full decoder's.
 *
 * <p>This is {@link RunDecoder}'s fast path for callers that hold raw payloads (the indexer): once
 * a tag is known as a scalar series, a record that parses here yields the same {@link ScalarPoint}
 * that {@code RunDecoder.decode} would, without a protobuf object per record. It does not look up
 * or create series itself, because only a known scalar series may skip the metadata. One instance
 * is reused for every record; it is not thread-safe.
 */
public final class SimpleScalarRecord {

    private double wallTime;
    private long step;
    private String tag;
    // Recent tags as bytes and their strings: a stream repeats a few tags, so one String per
    // tag (whose hash is then computed once) instead of one per record.
    private static final int RECENT_TAGS = 16;
    private final byte[][] recentBytes = new byte[RECENT_TAGS][];
    private final String[] recentTags = new String[RECENT_TAGS];
    private int nextRecent;
    private double value;

    private byte[] buf;
    private int pos;
    private int limit;

    /** Parses {@code buf[off, off + len)}; true if it is exactly the simple scalar shape. */
    public boolean parse(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.limit = off + len;
        wallTime = 0;
        step = 0;
        boolean summary = false;
        try {
            while (pos < limit) {
                int key = (int) varint();
                switch (key) {
                    case (1 << 3) | 1 -> wallTime = Double.longBitsToDouble(fixed64());
                    case (2 << 3) -> step = varint();
                    case (5 << 3) | 2 -> {
                        if (summary) {
                            return false;
                        }
                        int length = (int) varint();
                        int end = pos + length;
                        if (length < 0 || end > limit || !summary(end)) {
                            return false;
                        }
                        summary = true;
                    }
                    default -> {
                        return false;
                    }
                }
            }
            return summary && pos == limit;
        } catch (IndexOutOfBoundsException e) {
            return false;
        }
    }

    /** Event wall time of the last record parsed. */
    public double wallTime() {
        return wallTime;
    }

    /** Event step of the last record parsed. */
    public long step() {
        return step;
    }

    /** Summary value tag of the last record parsed (ASCII only; others are declined). */
    public String tag() {
        return tag;
    }

    /** The scalar, widened to double as the full decoder does. */
    public double value() {
        return value;
    }

    /** The ASCII tag at {@code buf[from, from + n)}, the same String as last time if it was seen recently. */
    private String tag(int from, int n) {
        for (int i = 0; i < RECENT_TAGS; i++) {
            byte[] known = recentBytes[i];
            if (known != null && known.length == n && Arrays.equals(known, 0, n, buf, from, from + n)) {
                return recentTags[i];
            }
        }
        String parsed = new String(buf, from, n, StandardCharsets.ISO_8859_1);
        recentBytes[nextRecent] = Arrays.copyOfRange(buf, from, from + n);
        recentTags[nextRecent] = parsed;
        nextRecent = (nextRecent + 1) % RECENT_TAGS;
        return parsed;
    }

    /** Summary{ value: Value{tag, simple_value} } with exactly one value. */
    private boolean summary(int end) {
        if (pos >= end || (int) varint() != ((1 << 3) | 2)) {
            return false;
        }
        int length = (int) varint();
        int valueEnd = pos + length;
        if (length < 0 || valueEnd != end) {
            return false;
        }
        boolean hasTag = false;
        boolean hasValue = false;
        while (pos < valueEnd) {
            int key = (int) varint();
            switch (key) {
                case (1 << 3) | 2 -> {
                    if (hasTag) {
                        return false;
                    }
                    int n = (int) varint();
                    if (n <= 0 || pos + n > valueEnd) {
                        return false;
                    }
                    for (int i = pos; i < pos + n; i++) {
                        if (buf[i] < 0) {
                            return false; // non-ASCII: let protobuf validate the UTF-8
                        }
                    }
                    tag = tag(pos, n);
                    pos += n;
                    hasTag = true;
                }
                case (2 << 3) | 5 -> {
                    if (hasValue) {
                        return false;
                    }
                    value = Float.intBitsToFloat(fixed32());
                    hasValue = true;
                }
                case (9 << 3) | 2 -> {
                    // metadata: writers repeat it on every value; a known series keeps the
                    // metadata of its first value, as TensorBoard does, so it is skipped.
                    int n = (int) varint();
                    if (n < 0 || pos + n > valueEnd) {
                        return false;
                    }
                    pos += n;
                }
                case (8 << 3) | 2 -> {
                    if (hasValue) {
                        return false;
                    }
                    int n = (int) varint();
                    int tensorEnd = pos + n;
                    if (n < 0 || tensorEnd > valueEnd || !scalarTensor(tensorEnd)) {
                        return false;
                    }
                    hasValue = true;
                }
                default -> {
                    return false;
                }
            }
        }
        return hasTag && hasValue && pos == valueEnd;
    }

    /**
     * A scalar tensor: TensorProto{dtype: DT_FLOAT or DT_DOUBLE, tensor_shape: {} (rank 0), and
     * exactly one value as float_val / double_val or as little-endian tensor_content}, nothing else.
     */
    private boolean scalarTensor(int end) {
        int dtype = 0;
        int floats = 0;
        int doubles = 0;
        float f = 0;
        double d = 0;
        while (pos < end) {
            int key = (int) varint();
            switch (key) {
                case (1 << 3) -> dtype = (int) varint();
                case (2 << 3) | 2 -> {
                    if (varint() != 0) {
                        return false; // a shape with dimensions
                    }
                }
                case (4 << 3) | 2 -> {  // tensor_content
                    long n = varint();
                    if (n == 4) {
                        f = Float.intBitsToFloat(fixed32());
                        floats++;
                    } else if (n == 8) {
                        d = Double.longBitsToDouble(fixed64());
                        doubles++;
                    } else {
                        return false;
                    }
                }
                case (5 << 3) | 2 -> {  // packed float_val
                    if (varint() != 4) {
                        return false;
                    }
                    f = Float.intBitsToFloat(fixed32());
                    floats++;
                }
                case (5 << 3) | 5 -> {
                    f = Float.intBitsToFloat(fixed32());
                    floats++;
                }
                case (6 << 3) | 2 -> {  // packed double_val
                    if (varint() != 8) {
                        return false;
                    }
                    d = Double.longBitsToDouble(fixed64());
                    doubles++;
                }
                case (6 << 3) | 1 -> {
                    d = Double.longBitsToDouble(fixed64());
                    doubles++;
                }
                default -> {
                    return false;
                }
            }
        }
        if (pos != end) {
            return false;
        }
        if (dtype == 1 && floats == 1 && doubles == 0) {        // DT_FLOAT
            value = f;
            return true;
        }
        if (dtype == 2 && doubles == 1 && floats == 0) {        // DT_DOUBLE
            value = d;
            return true;
        }
        return false;
    }

    private long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buf[checked(pos++)];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new IndexOutOfBoundsException("malformed varint");
    }

    private long fixed64() {
        checked(pos + 7);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xffL);
        }
        pos += 8;
        return v;
    }

    private int fixed32() {
        checked(pos + 3);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    private int checked(int index) {
        if (index >= limit) {
            throw new IndexOutOfBoundsException("past the record");
        }
        return index;
    }
}
