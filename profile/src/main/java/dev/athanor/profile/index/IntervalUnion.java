package dev.athanor.profile.index;

import java.util.Map;
import java.util.TreeMap;

/** A set of time covered, as disjoint [start, end) intervals merged as they are added. */
final class IntervalUnion {

    private final TreeMap<Long, Long> intervals = new TreeMap<>();
    private long length;

    void add(long start, long end) {
        if (end <= start) {
            return;
        }
        Map.Entry<Long, Long> before = intervals.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            if (before.getValue() >= end) {
                return;
            }
            start = before.getKey();
            end = Math.max(end, before.getValue());
            remove(before.getKey());
        }
        for (Map.Entry<Long, Long> next = intervals.ceilingEntry(start); next != null && next.getKey() <= end;
             next = intervals.ceilingEntry(start)) {
            end = Math.max(end, next.getValue());
            remove(next.getKey());
        }
        intervals.put(start, end);
        length += end - start;
    }

    private void remove(long start) {
        Long end = intervals.remove(start);
        length -= end - start;
    }

    void addAll(IntervalUnion other) {
        other.intervals.forEach(this::add);
    }

    long length() {
        return length;
    }
}
