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
import java.util.Optional;
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

    @Test
    void aTraceIsDecodedOnceAndAnEvictedOneLeavesNoFile() throws Exception {
        ProfileCache cache = cache(1);
        AtomicInteger decodes = new AtomicInteger();
        ProfileIndex first = cache.get("a", dir -> {
            decodes.incrementAndGet();
            return decode(dir);
        });
        assertThat(cache.get("a", dir -> {
            throw new AssertionError("decoded twice");
        })).isSameAs(first);
        assertThat(cache.dir()).isEqualTo(root.resolve("athanor-profile-index").resolve(String.valueOf(ProcessHandle.current().pid())));
        try (var files = Files.list(cache.dir())) {
            assertThat(files.count()).isEqualTo(1);
        }
        cache.get("b", this::decode);
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
            assertThatThrownBy(() -> cache.get("bad", dir -> {
                calls.incrementAndGet();
                throw new ProfileDecodeException("x.xplane.pb: damaged");
            })).isInstanceOf(ProfileDecodeException.class).hasMessage("x.xplane.pb: damaged");
        }
        assertThat(calls).hasValue(1);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.get("away", dir -> {
                calls.incrementAndGet();
                throw new IllegalStateException("replica away");
            })).isInstanceOf(IllegalStateException.class);
        }
        assertThat(calls).hasValue(3);
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
