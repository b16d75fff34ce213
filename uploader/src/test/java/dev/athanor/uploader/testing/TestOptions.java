package dev.athanor.uploader.testing;

import dev.athanor.uploader.UploadOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Options with short timings for tests, and the uploader's output captured. */
public final class TestOptions {

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);

    public UploadOptions.Builder builder(Path logdir, String endpoint) {
        return UploadOptions.builder(logdir, "exp", endpoint)
                .pollInterval(Duration.ofMillis(50))
                .initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(200))
                .retryTimeout(Duration.ofSeconds(10))
                .rpcTimeout(Duration.ofSeconds(5))
                .ackTimeout(Duration.ofSeconds(5))
                .gracePeriod(Duration.ofSeconds(10))
                .progress(UploadOptions.ProgressMode.LOG)
                .progressInterval(Duration.ofMillis(500))
                .environment(Map.of())
                .out(out);
    }

    public String output() {
        return captured.toString(StandardCharsets.UTF_8);
    }
}
