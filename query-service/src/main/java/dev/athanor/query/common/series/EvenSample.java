package dev.athanor.query.common.series;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks at most k of n items evenly by position, always keeping the first and the last (the newest
 * point is never the one that disappears, unlike a reservoir). Deterministic: the same n and k
 * always pick the same positions; every item when n ≤ k; none when k ≤ 0.
 */
public final class EvenSample {

    private EvenSample() {
    }

    public static <T> List<T> of(List<T> items, int k) {
        long[] picked = indices(items.size(), k);
        List<T> out = new ArrayList<>(picked.length);
        for (long index : picked) {
            out.add(items.get((int) index));
        }
        return out;
    }

    /** The positions (ascending, distinct) of the items kept out of n. */
    public static long[] indices(long n, int k) {
        if (k <= 0 || n <= 0) {
            return new long[0];
        }
        if (n <= k) {
            long[] all = new long[(int) n];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        if (k == 1) {
            return new long[] {n - 1};
        }
        // n > k ≥ 2: consecutive picks are at least (n-1)/(k-1) > 1 apart, so they never repeat.
        long[] out = new long[k];
        for (int i = 0; i < k; i++) {
            out[i] = Math.round((double) i * (n - 1) / (k - 1));
        }
        return out;
    }
}
