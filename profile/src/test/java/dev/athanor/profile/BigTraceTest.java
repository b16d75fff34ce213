package dev.athanor.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 256 MB trace decodes in a JVM whose heap (-Xmx96m) is far smaller than the file: the decoder
 * streams, and the events go to disk. The child prints its timings (not asserted: see bench/).
 */
class BigTraceTest {

    static final long SIZE = 256L << 20;

    @TempDir
    Path dir;

    @Test
    void aTraceOf256MbDecodesIn96MbOfHeap() throws IOException, InterruptedException {
        Path file = dir.resolve("big.pt.trace.json");
        int steps = BigTrace.write(file, SIZE);
        assertThat(Files.size(file)).isGreaterThanOrEqualTo(SIZE);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx96m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), BigTrace.class.getName(), file.toString(), dir.resolve("index").toString())
                .redirectErrorStream(true).start();
        boolean done = child.waitFor(5, TimeUnit.MINUTES);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("BigTrace: " + Files.size(file) + " bytes: " + output);
        assertThat(done).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        long ops = (long) steps * BigTrace.OPS_PER_STEP * BigTrace.THREADS;
        assertThat(output).contains("steps=" + steps + " ")
                .contains("top=aten::addmm topCount=" + ops + " topSelfNs=" + ops * 6000 + " ")
                .contains("maxHeapMb=");
    }
}
