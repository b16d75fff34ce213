package dev.athanor.profile.index;

import java.util.ArrayList;
import java.util.List;

/**
 * Merges a lane's short events (shorter than the resolution) into one bar per run of neighbours at
 * the same depth, so a window's size follows its pixels, not the number of events behind them.
 */
final class Decimator {

    private final int lane;
    private final long resolution;
    private final long origin;
    private final List<ProfileIndex.WindowEvent> out;
    /** per depth: the run being merged (start, end, count, longest key, its duration) */
    private final List<long[]> pending = new ArrayList<>();

    Decimator(int lane, long resolution, long origin, List<ProfileIndex.WindowEvent> out) {
        this.lane = lane;
        this.resolution = resolution;
        this.origin = origin;
        this.out = out;
    }

    void add(long start, long duration, int key, int depth) {
        while (pending.size() <= depth) {
            pending.add(null);
        }
        long[] run = pending.get(depth);
        if (duration >= resolution) {
            emit(depth);
            out.add(new ProfileIndex.WindowEvent(lane, start - origin, duration, key, depth, 1));
            return;
        }
        if (run != null && start <= run[1] + resolution) {
            run[1] = Math.max(run[1], start + duration);
            run[2]++;
            if (duration > run[4]) {
                run[3] = key;
                run[4] = duration;
            }
            return;
        }
        emit(depth);
        pending.set(depth, new long[] {start, start + duration, 1, key, duration});
    }

    private void emit(int depth) {
        long[] run = pending.get(depth);
        if (run != null) {
            out.add(new ProfileIndex.WindowEvent(lane, run[0] - origin, run[1] - run[0], (int) run[3], depth,
                    (int) run[2]));
            pending.set(depth, null);
        }
    }

    void flush() {
        for (int d = 0; d < pending.size(); d++) {
            emit(d);
        }
    }
}
