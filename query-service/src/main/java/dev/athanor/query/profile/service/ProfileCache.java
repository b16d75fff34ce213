package dev.athanor.query.profile.service;

import dev.athanor.profile.DecodeProgress;
import dev.athanor.profile.decode.ProfileDecodeException;
import dev.athanor.profile.index.ProfileIndex;
import dev.athanor.query.profile.config.ProfileConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Decoded traces by content (SHA-256), least recently used evicted. A trace is decoded once, on the
 * decode threads, however many requests ask for it at the same time; a request waits for it a
 * short while and is otherwise told how far it got ({@link NotReady}), so the first look at a big
 * trace answers at once with a progress. A damaged trace fails fast the next time.
 */
@ApplicationScoped
public class ProfileCache {

    /** Decodes one trace into {@code dir}, telling {@code progress} how far it got. Runs on a decode thread. */
    public interface Decoder {
        ProfileIndex decode(Path dir, DecodeProgress progress);
    }

    /** The trace is being decoded and was not ready within the wait. */
    public static final class NotReady extends RuntimeException {
        private final transient DecodeProgress progress;

        NotReady(DecodeProgress progress) {
            super(null, null, false, false);
            this.progress = progress;
        }

        public DecodeProgress progress() {
            return progress;
        }
    }

    private record Entry(CompletableFuture<ProfileIndex> future, DecodeProgress progress) {
    }

    private final int capacity;
    private final Path dir;
    private final ExecutorService decoders;
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final AtomicLong decodes = new AtomicLong();

    public ProfileCache(ProfileConfig config) {
        this.capacity = Math.max(1, config.cached());
        Path root = config.cacheDir().orElse(Path.of(System.getProperty("java.io.tmpdir"))).resolve("athanor-profile-index");
        // One directory per process: several services (or test JVMs) may share the root.
        this.dir = root.resolve(String.valueOf(ProcessHandle.current().pid()));
        this.decoders = Executors.newFixedThreadPool(Math.max(1, config.decodeThreads()),
                Thread.ofPlatform().name("profile-decode-", 0).daemon(true).factory());
        removeLeftovers(root);
    }

    /** The directory decoded timelines go to. */
    public Path dir() {
        return dir;
    }

    /** Decodes started since this cache was made (a trace asked for by many at once counts once). */
    public long decodes() {
        return decodes.get();
    }

    /**
     * The index of {@code key}. When it is not cached, {@code prepare} is called on this thread (it
     * may capture the caller's credentials) for the decoder of a {@code fileBytes} file, which runs
     * on a decode thread; this waits for it at most {@code wait}.
     *
     * @throws NotReady when the decode (this one's or an earlier request's) has not finished within {@code wait}
     * @throws ProfileDecodeException when the trace cannot be decoded
     */
    public ProfileIndex get(String key, long fileBytes, Supplier<Decoder> prepare, Duration wait) {
        Entry entry;
        boolean mine = false;
        List<Entry> evicted = new ArrayList<>();
        synchronized (entries) {
            entry = entries.get(key);
            if (entry == null) {
                entry = new Entry(new CompletableFuture<>(), new DecodeProgress(fileBytes));
                entries.put(key, entry);
                mine = true;
                Iterator<Entry> oldest = entries.values().iterator();
                while (entries.size() > capacity) {
                    evicted.add(oldest.next());
                    oldest.remove();
                }
            }
        }
        evicted.forEach(e -> e.future().thenAccept(ProfileIndex::close));
        if (mine) {
            start(key, entry, prepare);
        }
        try {
            return entry.future().get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new NotReady(entry.progress());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotReady(entry.progress());
        }
    }

    private void start(String key, Entry entry, Supplier<Decoder> prepare) {
        Decoder decoder;
        try {
            decoder = prepare.get();
        } catch (RuntimeException e) {
            failed(key, entry, e);
            return;
        }
        decodes.incrementAndGet();
        decoders.execute(() -> {
            try {
                entry.future().complete(decoder.decode(dir, entry.progress()));
            } catch (RuntimeException e) {
                failed(key, entry, e);
            }
        });
    }

    private void failed(String key, Entry entry, RuntimeException e) {
        if (!(e instanceof ProfileDecodeException)) {
            // a passing problem (a replica away): try again next time (removed before the waiters wake)
            synchronized (entries) {
                entries.remove(key, entry);
            }
        }
        entry.future().completeExceptionally(e);
    }

    @PreDestroy
    void close() {
        decoders.shutdownNow();
        synchronized (entries) {
            entries.values().forEach(e -> e.future().thenAccept(ProfileIndex::close));
            entries.clear();
        }
        try {
            decoders.awaitTermination(5, TimeUnit.SECONDS);
            deleteTree(dir);
        } catch (IOException e) {
            // removed by the next process that starts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
