package dev.athanor.archive.replication;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.Readability;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.StoreException;
import dev.athanor.archive.tiering.ObjectVerifier;
import dev.athanor.archive.tiering.VerifyMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Makes one destination object hold exactly a primary object's bytes. An object already there
 * that passes verification (size + CRC32C against the catalog) is kept and nothing is copied;
 * a missing, truncated or corrupted one is replaced. The primary bytes are downloaded to a
 * temporary file and checked against the catalog first, so a damaged primary is never spread.
 */
final class ReplicaCopier {

    /** What one object needed: nothing (already verified there) or a copy of {@code bytes}. */
    record Copied(boolean copied, long bytes) {
    }

    private final ObjectStore primary;
    private final VerifyMode mode;
    private final Path scratch;

    ReplicaCopier(ObjectStore primary, VerifyMode mode, Path scratch) {
        this.primary = primary;
        this.mode = mode;
        this.scratch = scratch;
    }

    Copied copy(ReplicationCatalog.Source source, Destination destination, String key)
            throws StoreException, IOException {
        ObjectVerifier verifier = new ObjectVerifier(destination.store(), mode);
        try {
            verifier.verify(key, source.size(), source.crc32c());
            return new Copied(false, 0);
        } catch (StoreException e) {
            if (e.reason() != StoreException.Reason.NOT_FOUND && e.reason() != StoreException.Reason.CHECKSUM_MISMATCH) {
                throw e;
            }
            // Missing, or left truncated/corrupted by an earlier attempt: copy it (again).
        }
        if (primary.readability(source.primaryKey()) != Readability.READABLE) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, source.primaryKey() + " in "
                    + primary.location() + " is in a cold tier that needs a restore before it can be replicated");
        }
        Path file = Files.createTempFile(Files.createDirectories(scratch), "replica-", ".part");
        try {
            try (InputStream in = primary.get(source.primaryKey())) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            Crc32c.Digest read = Crc32c.of(file);
            if (read.size() != source.size() || read.crc32c() != source.crc32c()) {
                throw new StoreException(StoreException.Reason.CHECKSUM_MISMATCH, "the primary copy "
                        + source.primaryKey() + " in " + primary.location() + " reads as " + read
                        + ", the catalog says " + new Crc32c.Digest(source.size(), source.crc32c())
                        + "; not replicated");
            }
            destination.store().put(key, file, source.size(), source.crc32c(), StorageTier.WARM);
            verifier.verify(key, source.size(), source.crc32c());
            return new Copied(true, source.size());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
