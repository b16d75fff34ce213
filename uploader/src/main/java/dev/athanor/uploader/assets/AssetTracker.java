package dev.athanor.uploader.assets;

import dev.athanor.uploader.discovery.DiscoveredAsset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every plugin asset file found, and where its upload stands. Survives reconnects (the server
 * keeps what was sent; a new connection asks it where to continue).
 *
 * <p>A file is uploaded only once it is complete, which a tailer cannot know for sure: it counts
 * as complete when its size and modification time were the same in two successive scans and it
 * has not been modified for the quiet period, or when the training is known to have ended. A file
 * that changes after it was uploaded is offered again; the server answers whether it is the same
 * content (nothing to do) or refuses other content under a stored path.
 */
public final class AssetTracker {

    public enum State {
        /** Seen, not known to be complete yet. */
        WAITING,
        /** Complete, to be sent (after {@code retryAtNanos}). */
        READY,
        /** An upload of it is running. */
        SENDING,
        /** The server has it. */
        DONE,
        /** Not uploaded (refused, or unreadable); reported. Offered again if the file changes. */
        SKIPPED
    }

    /** One asset file. Mutable; owned by the upload loop's thread. */
    public static final class Tracked {
        private DiscoveredAsset seen;
        private State state = State.WAITING;
        private int stableScans;
        /** Not before this System.nanoTime() (meaningful only when {@code delayed}: nanoTime may be negative). */
        private long retryAtNanos;
        private boolean delayed;
        private int failures;
        private boolean changedWhileSending;

        Tracked(DiscoveredAsset seen) {
            this.seen = seen;
        }

        public DiscoveredAsset asset() {
            return seen;
        }

        public State state() {
            return state;
        }

        public String key() {
            return AssetTracker.key(seen);
        }

        /** Failed attempts in a row (checksum mismatches, the file changing while it was read). */
        public int failures() {
            return failures;
        }
    }

    private final long quietMillis;
    private final Map<String, Tracked> assets = new TreeMap<>();
    private boolean allComplete;
    private int uploaded;
    private long bytesUploaded;

    public AssetTracker(long quietMillis) {
        this.quietMillis = quietMillis;
    }

    static String key(DiscoveredAsset asset) {
        return asset.runPath() + '\0' + asset.path();
    }

    /** Takes a scan's view of the asset files. */
    public void apply(List<DiscoveredAsset> scan, long nowMillis) {
        Map<String, DiscoveredAsset> current = new TreeMap<>();
        for (DiscoveredAsset asset : scan) {
            current.put(key(asset), asset);
        }
        // A file that vanished before it was complete was a temporary file: nothing to upload.
        assets.values().removeIf(t -> !current.containsKey(t.key())
                && (t.state == State.WAITING || t.state == State.READY));
        for (DiscoveredAsset asset : current.values()) {
            Tracked t = assets.get(key(asset));
            if (t == null) {
                assets.put(key(asset), t = new Tracked(asset));
            } else if (t.seen.size() != asset.size() || t.seen.modifiedMillis() != asset.modifiedMillis()) {
                t.seen = asset;
                t.stableScans = 0;
                switch (t.state) {
                    case SENDING -> t.changedWhileSending = true;
                    case READY, DONE, SKIPPED -> t.state = State.WAITING;
                    case WAITING -> { }
                }
            } else {
                t.stableScans++;
            }
            if (t.state == State.WAITING && (allComplete
                    || (t.stableScans >= 1 && nowMillis - asset.modifiedMillis() >= quietMillis))) {
                t.state = State.READY;
            }
        }
    }

    /** The training ended: every file found is complete. */
    public void markAllComplete() {
        allComplete = true;
        for (Tracked t : assets.values()) {
            if (t.state == State.WAITING) {
                t.state = State.READY;
            }
        }
    }

    /** The next asset to send, or null. */
    public Tracked nextReady(long nowNanos) {
        for (Tracked t : assets.values()) {
            if (t.state == State.READY && (!t.delayed || nowNanos - t.retryAtNanos >= 0)) {
                return t;
            }
        }
        return null;
    }

    public void sending(Tracked t) {
        t.state = State.SENDING;
        t.changedWhileSending = false;
    }

    public void done(Tracked t) {
        t.failures = 0;
        uploaded++;
        bytesUploaded += t.seen.size();
        t.state = t.changedWhileSending ? State.WAITING : State.DONE;
    }

    /** Send it again after {@code delayNanos}: it changed while read, or the server lost or refused to take it for now. */
    public void retryLater(Tracked t, long nowNanos, long delayNanos, boolean failure) {
        if (failure) {
            t.failures++;
        }
        t.retryAtNanos = nowNanos + delayNanos;
        t.delayed = true;
        t.state = t.changedWhileSending ? State.WAITING : State.READY;
    }

    /** The file changed under the sender: wait until it is complete again. */
    public void changed(Tracked t) {
        t.stableScans = 0;
        t.state = State.WAITING;
    }

    public void skip(Tracked t) {
        t.state = State.SKIPPED;
    }

    /** Skips every asset not sent yet (the server cannot take assets). */
    public void skipAllPending() {
        for (Tracked t : assets.values()) {
            if (t.state == State.WAITING || t.state == State.READY) {
                t.state = State.SKIPPED;
            }
        }
    }

    /** Skips the assets of a run the server refused that are not sent yet. */
    public void skipRun(String runPath) {
        for (Tracked t : assets.values()) {
            if (t.seen.runPath().equals(runPath) && (t.state == State.WAITING || t.state == State.READY)) {
                t.state = State.SKIPPED;
            }
        }
    }

    /** Nothing is waiting, ready or being sent. */
    public boolean settled() {
        for (Tracked t : assets.values()) {
            if (t.state == State.WAITING || t.state == State.READY || t.state == State.SENDING) {
                return false;
            }
        }
        return true;
    }

    /** True when some asset can be sent now or later without waiting for the file to settle. */
    public boolean anyReady() {
        for (Tracked t : assets.values()) {
            if (t.state == State.READY) {
                return true;
            }
        }
        return false;
    }

    public Collection<Tracked> all() {
        return new ArrayList<>(assets.values());
    }

    /** Runs that have asset files (so they exist on the server even without event files). */
    public List<String> runs() {
        return assets.values().stream().map(t -> t.seen.runPath()).distinct().toList();
    }

    public int count() {
        return assets.size();
    }

    public int uploaded() {
        return uploaded;
    }

    public long bytesUploaded() {
        return bytesUploaded;
    }

    /** Bytes of assets found and not uploaded yet. */
    public long pendingBytes() {
        long pending = 0;
        for (Tracked t : assets.values()) {
            if (t.state == State.WAITING || t.state == State.READY || t.state == State.SENDING) {
                pending += t.seen.size();
            }
        }
        return pending;
    }
}
