package dev.athanor.archive.testing;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.StoreException;
import dev.athanor.archive.store.testing.ForwardingObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/** A store that misbehaves on purpose, a set number of times, in front of a real one. */
public final class FaultyStore extends ForwardingObjectStore {

    /** Puts that store half the bytes and then fail as if the connection dropped. */
    public final AtomicInteger failPutsMidUpload = new AtomicInteger();
    /** Puts that silently store different bytes (a flipped byte) and report success. */
    public final AtomicInteger corruptPuts = new AtomicInteger();
    /** Heads that report a wrong CRC32C. */
    public final AtomicInteger lieAboutChecksum = new AtomicInteger();
    /** Puts seen. */
    public final AtomicInteger puts = new AtomicInteger();

    public FaultyStore(ObjectStore delegate) {
        super(delegate);
    }

    @Override
    public ObjectInfo put(String key, Path source, long expectedSize, long expectedCrc32c, StorageTier tier)
            throws StoreException {
        puts.incrementAndGet();
        try {
            if (failPutsMidUpload.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                byte[] all = Files.readAllBytes(source);
                putBytes(key, Arrays.copyOf(all, all.length / 2), tier);
                throw new StoreException(StoreException.Reason.UNAVAILABLE, "connection reset while uploading " + key);
            }
            if (corruptPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                byte[] all = Files.readAllBytes(source);
                all[all.length / 2] ^= 0x40;
                return putBytes(key, all, tier);
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, e.toString(), e);
        }
        return delegate.put(key, source, expectedSize, expectedCrc32c, tier);
    }

    private ObjectInfo putBytes(String key, byte[] bytes, StorageTier tier) throws IOException {
        Path tmp = Files.createTempFile("faulty", ".bin");
        try {
            Files.write(tmp, bytes);
            Crc32c.Digest d = Crc32c.of(bytes);
            return delegate.put(key, tmp, d.size(), d.crc32c(), tier);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws StoreException {
        Optional<ObjectInfo> info = delegate.head(key);
        if (info.isPresent() && lieAboutChecksum.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ObjectInfo real = info.get();
            return Optional.of(new ObjectInfo(real.key(), real.size(), OptionalLong.of(0xDEADBEEFL), real.tier()));
        }
        return info;
    }
}
