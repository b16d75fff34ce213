package dev.athanor.query.common.series;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks at most k of n items evenly by position, always keeping the first and the last (the newest
 * point is never the one that disappears, unlike a reservoir).
 */
public final class EvenSample {

    private EvenSample() {
    }

    public static <T> List<T> of(List<T> items, int k) {
        int n = items.size();
        if (n <= k) {
            return List.copyOf(items);
        }
        if (k == 1) {
            return List.of(items.get(n - 1));
        }
        List<T> out = new ArrayList<>(k);
        int previous = -1;
        for (int i = 0; i < k; i++) {
            int index = (int) Math.round((double) i * (n - 1) / (k - 1));
            if (index != previous) {
                out.add(items.get(index));
                previous = index;
            }
        }
        return out;
    }
}
