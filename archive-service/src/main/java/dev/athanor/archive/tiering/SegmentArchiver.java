package dev.athanor.archive.tiering;

import dev.athanor.archive.catalog.ArchiveCatalog;
import dev.athanor.archive.catalog.SegmentToArchive;
import dev.athanor.archive.layout.ArchiveLayout;
import dev.athanor.archive.layout.UnsafePathException;
import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.StoreException;
import dev.athanor.rawlog.HotRoot;
import dev.athanor.rawlog.UnsafeHotPathException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Copies one sealed hot segment to the store and proves the copy: the hot file's size and CRC32C
 * are taken (and checked against what ingest recorded), the copy is recorded as UPLOADING before
 * any byte leaves, uploaded, then verified against the store; only then is it VERIFIED. Any
 * failure leaves the hot file untouched and the row FAILED with a retry time.
 */
public final class SegmentArchiver {

    private static final Logger LOG = Logger.getLogger(SegmentArchiver.class);

    /** What happened to one segment. */
    public sealed interface Outcome {
        record Verified(long bytes, ObjectVerifier.Method method) implements Outcome {
        }

        record Failed(StoreException.Reason reason, String message) implements Outcome {
        }

        record Refused(String message) implements Outcome {
        }

        /** The hot file is not on this machine (another ingest node's volume): left alone. */
        record NotHere(Path expected) implements Outcome {
        }
    }

    private final ObjectStore store;
    private final ArchiveCatalog catalog;
    private final ArchiveLayout layout;
    private final HotRoot hotRoot;
    private final ObjectVerifier verifier;
    private final Backoff backoff;
    private final Clock clock;

    public SegmentArchiver(ObjectStore store, ArchiveCatalog catalog, ArchiveLayout layout, HotRoot hotRoot,
                           VerifyMode verifyMode, Backoff backoff, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.layout = layout;
        this.hotRoot = hotRoot;
        this.verifier = new ObjectVerifier(store, verifyMode);
        this.backoff = backoff;
        this.clock = clock;
    }

    public Outcome archive(SegmentToArchive segment) throws SQLException {
        String key;
        Path hot;
        try {
            key = layout.keyFor(segment.relativePath());
            hot = hotRoot.resolve(segment.relativePath());
        } catch (UnsafePathException | UnsafeHotPathException e) {
            LOG.errorf("segment %d: %s", segment.segmentId(), e.getMessage());
            catalog.recordRefused(segment, e.getMessage());
            return new Outcome.Refused(e.getMessage());
        }
        Crc32c.Digest digest;
        try {
            digest = Crc32c.of(hot);
        } catch (NoSuchFileException e) {
            return new Outcome.NotHere(hot);
        } catch (IOException e) {
            return fail(segment, null, new StoreException(StoreException.Reason.UNAVAILABLE,
                    "reading the hot file " + hot + ": " + e, e));
        }
        String mismatch = catalogMismatch(segment, digest);
        if (mismatch != null) {
            String message = "segment " + segment.segmentId() + " (" + hot + "): " + mismatch
                    + "; the hot file no longer matches the catalog, so it is not archived";
            LOG.error(message);
            catalog.recordRefused(segment, message);
            return new Outcome.Refused(message);
        }
        String uri;
        try {
            uri = store.uri(key).toString();
        } catch (StoreException e) {
            catalog.recordRefused(segment, e.getMessage());
            return new Outcome.Refused(e.getMessage());
        }
        catalog.recordUploading(segment, key, uri, digest.size(), digest.crc32c());
        try {
            store.put(key, hot, digest.size(), digest.crc32c(), StorageTier.WARM);
            ObjectVerifier.Method method = verifier.verify(key, digest.size(), digest.crc32c());
            catalog.recordVerified(segment.segmentId());
            LOG.debugf("segment %d archived to %s (%s, verified by %s)", segment.segmentId(), uri, digest, method);
            return new Outcome.Verified(digest.size(), method);
        } catch (StoreException e) {
            return fail(segment, uri, e);
        } catch (RuntimeException e) {
            // An SDK surprise must not stop the pass; the hot file stays and the segment is retried.
            return fail(segment, uri, new StoreException(StoreException.Reason.UNAVAILABLE, e.toString(), e));
        }
    }

    /** Ingest records the sealed size (and, if it computes one, the CRC32C): the hot file must agree. */
    private static String catalogMismatch(SegmentToArchive segment, Crc32c.Digest digest) {
        if (digest.size() != segment.catalogSize()) {
            return "the catalog records " + segment.catalogSize() + " bytes but the file has " + digest.size();
        }
        if (segment.catalogCrc32c().isPresent() && segment.catalogCrc32c().getAsLong() != digest.crc32c()) {
            return "the catalog records crc32c " + Crc32c.hex(segment.catalogCrc32c().getAsLong()) + " but the file has "
                    + Crc32c.hex(digest.crc32c());
        }
        return null;
    }

    private Outcome fail(SegmentToArchive segment, String uri, StoreException e) throws SQLException {
        int attempts = segment.attempts() + 1;
        var next = clock.instant().plus(backoff.after(attempts));
        String message = e.getMessage();
        LOG.warnf("segment %d (%s): attempt %d failed, hot copy kept, retry at %s: %s", segment.segmentId(),
                uri == null ? segment.relativePath() : uri, attempts, next, message);
        if (uri != null) {
            catalog.recordFailed(segment.segmentId(), "[" + e.reason() + "] " + message, next);
        }
        return new Outcome.Failed(e.reason(), message);
    }
}
