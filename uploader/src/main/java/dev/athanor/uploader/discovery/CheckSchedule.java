package dev.athanor.uploader.discovery;

/**
 * When a file or directory of the logdir is looked at (stat) again: at every scan while it
 * changes, then at intervals that double from one poll interval up to {@code maxIdleMillis} while
 * it stays the same, so a scan costs by what is active, not by the size of the logdir. The last
 * interval is shortened by up to half, by a hash of the entry's name, so that entries that went
 * idle together (a sweep's runs found by one scan) are not all looked at in the same scan.
 */
final class CheckSchedule {

    private final long pollMillis;
    private final long maxIdleMillis;
    private final long spread;
    private long intervalMillis;
    private long nextCheckMillis;

    CheckSchedule(long pollMillis, long maxIdleMillis, int nameHash) {
        this.pollMillis = Math.max(1, pollMillis);
        this.maxIdleMillis = Math.max(this.pollMillis, maxIdleMillis);
        this.spread = Math.floorMod(nameHash, this.maxIdleMillis / 2 + 1);
    }

    /** True when the entry should be looked at in the scan made at {@code nowMillis}. */
    boolean due(long nowMillis) {
        return nowMillis - nextCheckMillis >= 0;
    }

    /** It changed (or is new): look again at the next scan. */
    void changed(long nowMillis) {
        intervalMillis = 0;
        nextCheckMillis = nowMillis;
    }

    /** It was looked at and had not changed: look again later, up to the longest interval. */
    void unchanged(long nowMillis) {
        long next = intervalMillis == 0 ? pollMillis : intervalMillis * 2;
        intervalMillis = next >= maxIdleMillis ? maxIdleMillis : next;
        long wait = intervalMillis == maxIdleMillis ? maxIdleMillis - spread : intervalMillis;
        nextCheckMillis = nowMillis + Math.max(pollMillis, wait) - pollMillis / 2;
    }
}
