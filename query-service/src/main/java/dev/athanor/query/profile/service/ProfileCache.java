package dev.athanor.query.profile.service;

import dev.athanor.profile.decode.ProfileDecodeException;
import dev.athanor.profile.index.ProfileIndex;
import dev.athanor.query.profile.config.ProfileConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Decoded traces by content (SHA-256), least recently used evicted: a trace is decoded once however
 * many requests ask for it at the same time, and a damaged one fails fast the next time.
 */
@ApplicationScoped
public class ProfileCache {

    private final int capacity;
    private final Path dir;
    private final Map<String, CompletableFuture<ProfileIndex>> entries = new LinkedHashMap<>(16, 0.75f, true);

    public ProfileCache(ProfileConfig config) {
        this.capacity = Math.max(1, config.cached());
        Path root = config.cacheDir().orElse(Path.of(System.getProperty("java.io.tmpdir"))).resolve("athanor-profile-index");
        // One directory per process: several services (or test JVMs) may share the root.
        this.dir = root.resolve(String.valueOf(ProcessHandle.current().pid()));
        removeLeftovers(root);
    }

    /** The directory decoded timelines go to. */
    public Path dir() {
        return dir;
    }

    /** The index of {@code key}, decoded by {@code decode} (into {@link #dir()}) when not cached. */
    public ProfileIndex get(String key, Function<Path, ProfileIndex> decode) {
        CompletableFuture<ProfileIndex> future;
        boolean mine = false;
        List<CompletableFuture<ProfileIndex>> evicted = new ArrayList<>();
        synchronized (entries) {
            future = entries.get(key);
            if (future == null) {
                future = new CompletableFuture<>();
                entries.put(key, future);
                mine = true;
                Iterator<CompletableFuture<ProfileIndex>> oldest = entries.values().iterator();
                while (entries.size() > capacity) {
                    evicted.add(oldest.next());
                    oldest.remove();
                }
            }
        }
        evicted.forEach(f -> f.thenAccept(ProfileIndex::close));
        if (mine) {
            try {
                future.complete(decode.apply(dir));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
                if (!(e instanceof ProfileDecodeException)) {
                    // a passing problem (a replica away): try again next time
                    synchronized (entries) {
                        entries.remove(key, future);
                    }
                }
            }
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @PreDestroy
    void close() {
        synchronized (entries) {
            entries.values().forEach(f -> f.thenAccept(ProfileIndex::close));
            entries.clear();
        }
        try {
            deleteTree(dir);
        } catch (IOException e) {
            // removed by the next process that starts
        }
    }

    /** Directories of processes that have ended are in no cache: delete them. */
    private static void removeLeftovers(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (name.matches("\\d+") && ProcessHandle.of(Long.parseLong(name)).isEmpty()) {
                    deleteTree(d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("profile cache " + root + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
