package dev.athanor.query.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.profile.Profiles;
import dev.athanor.profile.Traces;
import dev.athanor.profile.decode.ProfileDecodeException;
import dev.athanor.profile.decode.ProfileFormat;
import dev.athanor.profile.index.Limits;
import dev.athanor.profile.index.ProfileIndex;
import dev.athanor.query.profile.config.ProfileConfig;
import dev.athanor.query.profile.service.ProfileCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCacheTest {

    @TempDir
    Path root;

    private ProfileCache cache(int capacity) {
        return new ProfileCache(new ProfileConfig() {
            public Optional<Path> cacheDir() {
                return Optional.of(root);
            }

            public int cached() {
                return capacity;
            }

            public long maxFileBytes() {
                return 1 << 30;
            }

            public long maxEvents() {
                return 1000;
            }

            public int maxLaneEvents() {
                return 1000;
            }

            public int decodeThreads() {
                return 2;
            }

            public Duration answerWithin() {
                return Duration.ofSeconds(30);
            }
        });
    }

    private ProfileIndex decode(Path dir) {
        try {
            Path trace = root.resolve("vm.pt.trace.json.gz");
            Files.write(trace, Traces.bytes("torch/vm.pt.trace.json.gz"));
            return Profiles.decode(Traces.file(trace), ProfileFormat.PYTORCH_TRACE, dir, Limits.DEFAULT);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    private ProfileIndex get(ProfileCache cache, String key, Function<Path, ProfileIndex> decode) {
        return cache.get(key, 100, () -> (dir, progress) -> decode.apply(dir), WAIT);
    }

    @Test
    void aTraceIsDecodedOnceAndAnEvictedOneLeavesNoFile() throws Exception {
        ProfileCache cache = cache(1);
        AtomicInteger decodes = new AtomicInteger();
        ProfileIndex first = get(cache, "a", dir -> {
            decodes.incrementAndGet();
            return decode(dir);
        });
        assertThat(get(cache, "a", dir -> {
            throw new AssertionError("decoded twice");
        })).isSameAs(first);
        assertThat(cache.dir()).isEqualTo(root.resolve("athanor-profile-index").resolve(String.valueOf(ProcessHandle.current().pid())));
        try (var files = Files.list(cache.dir())) {
            assertThat(files.count()).isEqualTo(1);
        }
        get(cache, "b", this::decode);
        Thread.sleep(100); // the eviction closes a's index as its future completes, on this thread: already done
        try (var files = Files.list(cache.dir())) {
            assertThat(files.count()).as("a's timeline deleted when evicted").isEqualTo(1);
        }
        assertThat(decodes).hasValue(1);
    }

    @Test
    void aDamagedTraceFailsFastNextTimeButAPassingProblemIsRetried() {
        ProfileCache cache = cache(4);
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> get(cache, "bad", dir -> {
                calls.incrementAndGet();
                throw new ProfileDecodeException("x.xplane.pb: damaged");
            })).isInstanceOf(ProfileDecodeException.class).hasMessage("x.xplane.pb: damaged");
        }
        assertThat(calls).hasValue(1);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> get(cache, "away", dir -> {
                calls.incrementAndGet();
                throw new IllegalStateException("replica away");
            })).isInstanceOf(IllegalStateException.class);
        }
        assertThat(calls).hasValue(3);
    }

    @Test
    void aSlowDecodeAnswersWithItsProgressAndConcurrentFirstLooksDecodeOnce() throws Exception {
        ProfileCache cache = cache(4);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger prepared = new AtomicInteger();
        AtomicInteger decoded = new AtomicInteger();
        Supplier<ProfileCache.Decoder> slow = () -> {
            prepared.incrementAndGet();
            return (dir, progress) -> {
                decoded.incrementAndGet();
                progress.building(10);
                progress.built(5);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return decode(dir);
            };
        };
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Object>> first = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                first.add(callers.submit(() -> {
                    try {
                        return cache.get("big", 1000, slow, Duration.ofMillis(200));
                    } catch (ProfileCache.NotReady e) {
                        return e;
                    }
                }));
            }
            for (Future<Object> f : first) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(ProfileCache.NotReady.class,
                        e -> assertThat(e.progress().fraction()).isGreaterThan(0).isLessThan(1));
            }
            release.countDown();
            ProfileIndex index = cache.get("big", 1000, slow, WAIT);
            assertThat(index.steps()).hasSize(3);
            assertThat(prepared).as("prepared once").hasValue(1);
            assertThat(decoded).as("decoded once").hasValue(1);
            assertThat(cache.decodes()).isEqualTo(1);
        } finally {
            release.countDown();
            callers.shutdownNow();
        }
    }

    @Test
    void directoriesOfEndedProcessesAreRemovedAtStart() throws Exception {
        Path gone = Files.createDirectories(root.resolve("athanor-profile-index").resolve("999999999"));
        Files.writeString(gone.resolve("timeline1.bin"), "x");
        Path mine = Files.createDirectories(root.resolve("athanor-profile-index").resolve(String.valueOf(ProcessHandle.current().pid())));
        cache(1);
        assertThat(gone).doesNotExist();
        assertThat(mine).exists();
    }
}
