package dev.athanor.archive.store.testing;

import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.Readability;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A store that hands every call to a real one: a test store overrides only the calls it makes
 * misbehave (a fault, a refusal), and a new {@link ObjectStore} method is forwarded in one place.
 */
public abstract class ForwardingObjectStore implements ObjectStore {

    protected final ObjectStore delegate;

    protected ForwardingObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @Override
    public URI uri(String key) throws StoreException {
        return delegate.uri(key);
    }

    @Override
    public void checkAccess() throws StoreException {
        delegate.checkAccess();
    }

    @Override
    public ObjectInfo put(String key, Path source, long expectedSize, long expectedCrc32c, StorageTier tier)
            throws StoreException {
        return delegate.put(key, source, expectedSize, expectedCrc32c, tier);
    }

    @Override
    public InputStream get(String key) throws StoreException {
        return delegate.get(key);
    }

    @Override
    public InputStream getRange(String key, long offset, long length) throws StoreException {
        return delegate.getRange(key, offset, length);
    }

    @Override
    public Optional<ObjectInfo> head(String key) throws StoreException {
        return delegate.head(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws StoreException {
        return delegate.list(prefix);
    }

    @Override
    public void delete(String key) throws StoreException {
        delegate.delete(key);
    }

    @Override
    public void setTier(String key, StorageTier tier) throws StoreException {
        delegate.setTier(key, tier);
    }

    @Override
    public Readability readability(String key) throws StoreException {
        return delegate.readability(key);
    }

    @Override
    public Readability requestRestore(String key, Duration keepFor) throws StoreException {
        return delegate.requestRestore(key, keepFor);
    }

    @Override
    public Optional<URI> presignGet(String key, Duration validFor) throws StoreException {
        return delegate.presignGet(key, validFor);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
