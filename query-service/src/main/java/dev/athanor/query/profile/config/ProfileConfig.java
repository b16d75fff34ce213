package dev.athanor.query.profile.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Decoding of profiler traces ({@code ATHANOR_PROFILES_*}). A decoded trace keeps its summaries in
 * heap and its timeline in a file under the cache directory until it is evicted.
 */
@ConfigMapping(prefix = "athanor.profiles")
public interface ProfileConfig {

    /** Where decoded timelines are kept; default: a directory in java.io.tmpdir. */
    Optional<Path> cacheDir();

    /** Decoded traces kept (least recently used evicted first). */
    @WithDefault("8")
    int cached();

    /** Larger trace files are not decoded (they can still be downloaded). */
    @WithDefault("1073741824")
    long maxFileBytes();

    @WithDefault("50000000")
    long maxEvents();

    /** Traces decoded at the same time (each on a thread of its own). */
    @WithDefault("2")
    int decodeThreads();

    /**
     * How long a request waits for a trace being decoded before it is answered 202 with the
     * decode's progress (small traces answer at once; the first look at a big one does not block).
     */
    @WithDefault("1s")
    Duration answerWithin();

    /** Events of one thread or stream: one lane is sorted in heap (~30 bytes an event). */
    @WithDefault("4000000")
    int maxLaneEvents();
}
