package dev.athanor.profile.index;

import java.util.Arrays;

/**
 * Memory samples of one allocator or device, at most {@code capacity} kept: when full, each pair of
 * neighbours becomes its larger one, so peaks survive any trace length.
 */
final class MemorySeries {

    private final int capacity;
    private long[] time;
    private long[] bytes;
    private int size;

    MemorySeries(int capacity) {
        this.capacity = capacity & ~1;
        this.time = new long[16];
        this.bytes = new long[16];
    }

    void add(long t, long b) {
        if (size == capacity) {
            halve();
        }
        if (size == time.length) {
            time = Arrays.copyOf(time, Math.min(capacity, size * 2));
            bytes = Arrays.copyOf(bytes, time.length);
        }
        time[size] = t;
        bytes[size++] = b;
    }

    private void halve() {
        for (int i = 0; i < size / 2; i++) {
            int keep = bytes[2 * i + 1] > bytes[2 * i] ? 2 * i + 1 : 2 * i;
            time[i] = time[keep];
            bytes[i] = bytes[keep];
        }
        size /= 2;
    }

    /** The samples in time order. */
    ProfileIndex.Memory sorted(String name, long origin) {
        int[] order = LaneSort.order(time, new long[size], size);
        long[] t = new long[size];
        long[] b = new long[size];
        for (int i = 0; i < size; i++) {
            t[i] = time[order[i]] - origin;
            b[i] = bytes[order[i]];
        }
        return new ProfileIndex.Memory(name, t, b);
    }
}
