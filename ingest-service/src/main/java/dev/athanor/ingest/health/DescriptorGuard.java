package dev.athanor.ingest.health;

import dev.athanor.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Refuses new work that would open files while the process is close to its open-file limit
 * (RLIMIT_NOFILE): a new upload stream, a run whose log holds no open file, an asset upload. The
 * refusal is {@link OutOfDescriptorsException} (gRPC {@code RESOURCE_EXHAUSTED}, which uploaders
 * retry), so the last descriptors stay for what keeps the replica alive — accepting health probes,
 * PostgreSQL connections, the committer's fsyncs, finishing the runs already open — instead of a
 * {@code Too many open files} somewhere that cannot recover. The same share turns readiness DOWN
 * ({@link WriteHeadroomCheck}); counting the open descriptors lists /proc/self/fd, so the count is
 * reused for a short while.
 */
@ApplicationScoped
public class DescriptorGuard {

    private static final long REMEASURE_NANOS = 100_000_000L;

    private final double maxShare;
    private final LongSupplier open;
    private final LongSupplier max;
    private long measuredAt; // guarded by this
    private Optional<String> shortage = Optional.empty(); // guarded by this

    @Inject
    public DescriptorGuard(IngestConfig config) {
        this(config.health().maxOpenFilesShare(), FileDescriptors::open, FileDescriptors::max);
    }

    DescriptorGuard(double maxShare, LongSupplier open, LongSupplier max) {
        this.maxShare = maxShare;
        this.open = open;
        this.max = max;
        this.measuredAt = System.nanoTime() - REMEASURE_NANOS;
    }

    /**
     * @param what the work refused, as the client should read it ("a new upload stream")
     * @throws OutOfDescriptorsException when more than the share of the limit is in use
     */
    public void requireRoomFor(String what) {
        Optional<String> reason = shortage();
        if (reason.isPresent()) {
            throw new OutOfDescriptorsException(what + " is refused for now: " + reason.get()
                    + "; retry later, or on another replica");
        }
    }

    private synchronized Optional<String> shortage() {
        long now = System.nanoTime();
        if (now - measuredAt >= REMEASURE_NANOS) {
            shortage = Headroom.descriptorShortage(open.getAsLong(), max.getAsLong(), maxShare);
            measuredAt = now;
        }
        return shortage;
    }
}
