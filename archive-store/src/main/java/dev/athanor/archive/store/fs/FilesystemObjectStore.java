package dev.athanor.archive.store.fs;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.ObjectKeys;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.Readability;
import dev.athanor.archive.store.SourceCheck;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Objects as files under a root directory (the local default). Keys map to paths below the root,
 * so the archive is itself a TensorBoard logdir. Writes go to a temporary file that is fsynced,
 * checked and renamed into place, so a reader never sees half an object.
 *
 * <p>Housekeeping lives in two hidden folders at the root whose file names never contain
 * "tfevents" (TensorBoard would try to read such files): {@code .athanor-tmp} for writes in
 * flight and {@code .athanor-meta} for the recorded tier of objects not in the warm tier.
 *
 * <p>Optionally the cold tier behaves like S3 Glacier ({@code coldRestoreTime} set): a cold object
 * cannot be read until a restore was requested and {@code coldRestoreTime} has passed, and stays
 * readable for the time asked for. This lets restores be run and tested without a cloud.
 */
public final class FilesystemObjectStore implements ObjectStore {

    static final String TMP_DIR = ".athanor-tmp";
    static final String META_DIR = ".athanor-meta";
    private static final int BUFFER = 1 << 16;

    private final Path root;
    private final Optional<Duration> coldRestoreTime;
    private final Clock clock;

    public FilesystemObjectStore(Path root) {
        this(root, Optional.empty(), Clock.systemUTC());
    }

    /** @param coldRestoreTime when set, cold objects need a restore that takes this long */
    public FilesystemObjectStore(Path root, Optional<Duration> coldRestoreTime, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.coldRestoreTime = coldRestoreTime;
        this.clock = clock;
    }

    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toUri().toString();
    }

    @Override
    public URI uri(String key) throws StoreException {
        return pathOf(key).toUri();
    }

    @Override
    public void checkAccess() throws StoreException {
        if (!Files.isDirectory(root)) {
            throw new StoreException(StoreException.Reason.BUCKET_NOT_FOUND,
                    "archive root " + root + " does not exist or is not a directory");
        }
        if (!Files.isWritable(root)) {
            throw new StoreException(StoreException.Reason.ACCESS_DENIED, "archive root " + root + " is not writable");
        }
    }

    /** Removes writes left in flight by a crash (older than {@code olderThan}). */
    public int removeStaleTemporaryFiles(Duration olderThan) throws IOException {
        Path tmp = root.resolve(TMP_DIR);
        if (!Files.isDirectory(tmp)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(olderThan);
        int removed = 0;
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path p : files.toList()) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff) && Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    @Override
    public ObjectInfo put(String key, Path source, long expectedSize, long expectedCrc32c, StorageTier tier)
            throws StoreException {
        Path target = pathOf(key);
        checkAccess();
        Path tmp = null;
        try {
            Files.createDirectories(root.resolve(TMP_DIR));
            tmp = root.resolve(TMP_DIR).resolve(UUID.randomUUID() + ".part");
            Crc32c.Digest copied = copyAndSync(source, tmp);
            SourceCheck.mismatch(copied, expectedSize, expectedCrc32c, source + " (for " + key + ")");
            Path parent = target.getParent();
            createDirectories(parent);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            syncDirectory(parent);
            writeTier(key, tier);
            return new ObjectInfo(key, copied.size(), OptionalLong.empty(), tier);
        } catch (StoreException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, "source " + source + " does not exist", e);
        } catch (IOException e) {
            throw unavailable("writing " + target, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // removed later by removeStaleTemporaryFiles
                }
            }
        }
    }

    private static Crc32c.Digest copyAndSync(Path source, Path tmp) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (in.read(buf) >= 0) {
                buf.flip();
                crc.update(buf.duplicate());
                size += buf.remaining();
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                buf.clear();
            }
            out.force(true);
        }
        return new Crc32c.Digest(size, crc.getValue());
    }

    @Override
    public InputStream get(String key) throws StoreException {
        Path path = existing(key);
        requireReadable(key);
        try {
            return Files.newInputStream(path);
        } catch (IOException e) {
            throw unavailable("reading " + path, e);
        }
    }

    @Override
    public InputStream getRange(String key, long offset, long length) throws StoreException {
        Path path = existing(key);
        requireReadable(key);
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            long size = ch.size();
            if (offset < 0 || offset >= size || length < 0) {
                ch.close();
                throw new StoreException(StoreException.Reason.INVALID_RANGE,
                        "range [%d, +%d) is outside %s (%d bytes)".formatted(offset, length, key, size));
            }
            ch.position(offset);
            return new BoundedInputStream(Channels.newInputStream(ch), Math.min(length, size - offset));
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw unavailable("reading " + path, e);
        }
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws StoreException {
        Path path = pathOf(key);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ObjectInfo(key, Files.size(path), OptionalLong.empty(), readTier(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw unavailable("reading " + path, e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws StoreException {
        ObjectKeys.checkPrefix(prefix);
        // Walk from the deepest folder the prefix names, then filter by plain string prefix.
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<ObjectInfo> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(start)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String key = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                if (key.startsWith(TMP_DIR + "/") || key.startsWith(META_DIR + "/") || !key.startsWith(prefix)) {
                    continue;
                }
                out.add(new ObjectInfo(key, Files.size(p), OptionalLong.empty(), readTier(key)));
            }
        } catch (NoSuchFileException e) {
            // a folder vanished under the walk: what is left is the answer
        } catch (IOException e) {
            throw unavailable("listing " + start, e);
        }
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    @Override
    public void delete(String key) throws StoreException {
        Path path = pathOf(key);
        try {
            Files.deleteIfExists(path);
            Files.deleteIfExists(metaPath(key));
            Files.deleteIfExists(restorePath(key));
            syncDirectory(path.getParent());
        } catch (IOException e) {
            throw unavailable("deleting " + path, e);
        }
    }

    @Override
    public void setTier(String key, StorageTier tier) throws StoreException {
        existing(key);
        writeTier(key, tier);
        try {
            Files.deleteIfExists(restorePath(key));
        } catch (IOException e) {
            throw unavailable("forgetting the restore of " + key, e);
        }
    }

    @Override
    public Readability readability(String key) throws StoreException {
        existing(key);
        try {
            if (coldRestoreTime.isEmpty() || readTier(key) != StorageTier.COLD) {
                return Readability.READABLE;
            }
            List<String> restore;
            try {
                restore = List.of(Files.readString(restorePath(key)).trim().split(" "));
            } catch (NoSuchFileException e) {
                return Readability.NEEDS_RESTORE;
            }
            Instant ready = Instant.ofEpochMilli(Long.parseLong(restore.get(0))).plus(coldRestoreTime.get());
            Instant until = ready.plusMillis(Long.parseLong(restore.get(1)));
            Instant now = clock.instant();
            if (now.isBefore(ready)) {
                return Readability.RESTORING;
            }
            return now.isBefore(until) ? Readability.restoredUntil(until) : Readability.NEEDS_RESTORE;
        } catch (IOException | RuntimeException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "reading the tier or restore record of " + key
                    + " under " + root + ": " + e, e);
        }
    }

    @Override
    public Readability requestRestore(String key, Duration keepFor) throws StoreException {
        Readability now = readability(key);
        if (now.state() != Readability.State.NEEDS_RESTORE) {
            return now;
        }
        writeMeta(restorePath(key), clock.millis() + " " + keepFor.toMillis(), "recording a restore of " + key);
        return readability(key);
    }

    private void requireReadable(String key) throws StoreException {
        Readability r = readability(key);
        if (!r.readable()) {
            throw new StoreException(StoreException.Reason.NEEDS_RESTORE, key + " under " + root
                    + " is in the cold tier and must be restored before it can be read (" + r.state() + ")");
        }
    }

    @Override
    public Optional<URI> presignGet(String key, Duration validFor) throws StoreException {
        ObjectKeys.check(key);
        return Optional.empty();
    }

    @Override
    public void close() {
    }

    // ------------------------------------------------------------------ paths and tier records

    private Path pathOf(String key) throws StoreException {
        ObjectKeys.check(key);
        if (key.equals(TMP_DIR) || key.equals(META_DIR) || key.startsWith(TMP_DIR + "/") || key.startsWith(META_DIR + "/")) {
            throw new StoreException(StoreException.Reason.INVALID_KEY, "object key '" + key + "' uses a reserved folder");
        }
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new StoreException(StoreException.Reason.INVALID_KEY, "object key '" + key + "' leaves the root " + root);
        }
        return path;
    }

    private Path existing(String key) throws StoreException {
        Path path = pathOf(key);
        if (!Files.isRegularFile(path)) {
            throw new StoreException(StoreException.Reason.NOT_FOUND, "no object " + key + " under " + root);
        }
        return path;
    }

    private Path metaPath(String key) {
        return metaPath(key, ".tier");
    }

    private Path restorePath(String key) {
        return metaPath(key, ".restore");
    }

    /** One flat file per key, named by the key's SHA-256 so its name never says "tfevents". */
    private Path metaPath(String key, String suffix) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return root.resolve(META_DIR).resolve(HexFormat.of().formatHex(hash) + suffix);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private StorageTier readTier(String key) throws IOException {
        try {
            return StorageTier.valueOf(Files.readString(metaPath(key)).trim());
        } catch (NoSuchFileException e) {
            return StorageTier.WARM;
        }
    }

    private void writeTier(String key, StorageTier tier) throws StoreException {
        Path meta = metaPath(key);
        if (tier == StorageTier.WARM) {
            try {
                Files.deleteIfExists(meta);
            } catch (IOException e) {
                throw unavailable("recording the tier of " + key, e);
            }
            return;
        }
        writeMeta(meta, tier.name(), "recording the tier of " + key);
    }

    /** Replaces a housekeeping file atomically. */
    private void writeMeta(Path meta, String content, String what) throws StoreException {
        try {
            Files.createDirectories(meta.getParent());
            Path tmp = root.resolve(TMP_DIR).resolve(UUID.randomUUID() + ".part");
            Files.createDirectories(tmp.getParent());
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
                out.write(content.getBytes(StandardCharsets.US_ASCII));
            }
            Files.move(tmp, meta, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw unavailable(what, e);
        }
    }

    private static void createDirectories(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(dir + " exists and is not a directory", e);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open directories; the data itself is fsynced.
        }
    }

    private StoreException unavailable(String what, IOException e) {
        if (e instanceof AccessDeniedException) {
            return new StoreException(StoreException.Reason.ACCESS_DENIED, what + ": permission denied", e);
        }
        return new StoreException(StoreException.Reason.UNAVAILABLE, what + ": " + e, e);
    }
}
