package dev.athanor.cli.importer;

import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.ObjectKeys;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Copies the objects below an experiment's key prefix into a local folder with the same layout
 * ({@code <run>/events.out.tfevents…}, the runs' profiler files), so the uploader can read the
 * replica as a logdir. Archived objects never change once written, so an object whose local copy
 * already has its size is not fetched again: a kept folder makes a later import fetch only what
 * replication added since. Each fetched object is checked (size, and the store's own CRC32C when
 * it reports one) before it appears under its name; one that does not match is skipped and named.
 */
final class BucketMirror {

    /** What one mirroring found: objects listed, fetched now, already local, and the ones skipped (with why). */
    record Result(int listed, int fetched, int alreadyLocal, long fetchedBytes, List<String> skipped) {
    }

    private BucketMirror() {
    }

    static Result mirror(ObjectStore store, BucketUrl from, Path into) throws IOException {
        List<ObjectInfo> objects = store.list(from.keyPrefix());
        int fetched = 0;
        int alreadyLocal = 0;
        long bytes = 0;
        List<String> skipped = new ArrayList<>();
        for (ObjectInfo object : objects) {
            String relative = object.key().substring(from.keyPrefix().length());
            String problem = ObjectKeys.problem(relative);
            if (problem != null) {
                skipped.add(object.key() + ": " + problem);
                continue;
            }
            Path target = into.resolve(relative);
            if (Files.isRegularFile(target) && Files.size(target) == object.size()) {
                alreadyLocal++;
                continue;
            }
            try {
                fetch(store, object, target);
                fetched++;
                bytes += object.size();
            } catch (StoreException | ObjectMismatch e) {
                skipped.add(object.key() + ": " + e.getMessage());
            }
        }
        return new Result(objects.size(), fetched, alreadyLocal, bytes, skipped);
    }

    /** The fetched bytes are not the object the listing described. */
    private static final class ObjectMismatch extends IOException {
        ObjectMismatch(String message) {
            super(message);
        }
    }

    private static void fetch(ObjectStore store, ObjectInfo object, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), ".import-", ".partial");
        try {
            CRC32C crc = new CRC32C();
            long size = 0;
            try (InputStream in = store.get(object.key()); OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    crc.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    size += n;
                }
            }
            if (size != object.size()) {
                throw new ObjectMismatch("read " + size + " bytes, the bucket lists " + object.size() + "; not imported");
            }
            if (object.crc32c().isPresent() && object.crc32c().getAsLong() != crc.getValue()) {
                throw new ObjectMismatch("CRC32C of the bytes read is " + crc.getValue() + ", the store reports "
                        + object.crc32c().getAsLong() + "; not imported");
            }
            // Under its own name only once whole and checked: an interrupted import leaves no half file.
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
