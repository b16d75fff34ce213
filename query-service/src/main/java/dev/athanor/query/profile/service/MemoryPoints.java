package dev.athanor.query.profile.service;

import dev.athanor.profile.index.ProfileIndex;
import java.util.ArrayList;
import java.util.List;

/** Memory series cut to a chart's points: the largest sample of each bucket, so peaks survive. */
public final class MemoryPoints {

    public record Series(String name, long peakBytes, List<long[]> points) {
    }

    private MemoryPoints() {
    }

    public static Series of(ProfileIndex.Memory memory, int maxPoints) {
        long[] t = memory.timeNs();
        long[] b = memory.bytes();
        long peak = 0;
        for (long v : b) {
            peak = Math.max(peak, v);
        }
        List<long[]> points = new ArrayList<>();
        int bucket = Math.max(1, (t.length + maxPoints - 1) / maxPoints);
        for (int from = 0; from < t.length; from += bucket) {
            int best = from;
            for (int i = from; i < Math.min(t.length, from + bucket); i++) {
                best = b[i] > b[best] ? i : best;
            }
            points.add(new long[] {t[best], b[best]});
        }
        return new Series(memory.name(), peak, points);
    }
}
