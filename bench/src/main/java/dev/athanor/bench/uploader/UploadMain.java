package dev.athanor.bench.uploader;

import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import java.nio.file.Path;
import java.time.Duration;

/** The uploader alone in a JVM, for the benchmark to measure: {@code LOGDIR ENDPOINT once|sidecar}. */
public final class UploadMain {

    private UploadMain() {
    }

    public static void main(String[] args) {
        UploadResult result = Uploader.run(UploadOptions.builder(Path.of(args[0]), "bench", args[1])
                .once(args[2].equals("once"))
                .progress(UploadOptions.ProgressMode.QUIET)
                .pollInterval(Duration.ofMillis(500))
                .handleSignals(true)
                .build());
        System.out.println("records_acked=" + result.recordsAcked() + " bytes_acked=" + result.bytesAcked()
                + " outcome=" + result.outcome());
        System.exit(result.exitCode());
    }
}
