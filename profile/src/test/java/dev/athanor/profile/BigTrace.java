package dev.athanor.profile;

import dev.athanor.profile.decode.ProfileFormat;
import dev.athanor.profile.index.Limits;
import dev.athanor.profile.index.ProfileIndex;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A large PyTorch-shaped Chrome trace written in a stream (steps of nested CPU ops on four threads
 * and kernels on a stream), and a main that decodes one and prints what it measured: run in a JVM
 * whose heap is smaller than the file, it shows decoding does not hold the file.
 */
public final class BigTrace {

    public static final int THREADS = 4;
    /** per step and thread: this many "aten::linear" each holding one "aten::addmm" */
    public static final int OPS_PER_STEP = 500;

    private BigTrace() {
    }

    /** Writes steps until the file has at least {@code bytes}; returns the number of steps. */
    public static int write(Path file, long bytes) throws IOException {
        int steps = 0;
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 20)) {
            out.write("{\"schemaVersion\": 1, \"traceEvents\": [\n");
            out.write("{\"ph\": \"M\", \"name\": \"thread_name\", \"pid\": 1, \"tid\": 0, \"args\": {\"name\": \"main\"}}");
            long t = 1_000_000;
            while (Files.size(file) < bytes || steps == 0) {
                long stepStart = t;
                for (int i = 0; i < OPS_PER_STEP; i++) {
                    for (int thread = 0; thread < THREADS; thread++) {
                        long s = t + thread;
                        out.write(",\n{\"ph\": \"X\", \"cat\": \"cpu_op\", \"name\": \"aten::linear\", \"pid\": 1, \"tid\": "
                                + thread + ", \"ts\": " + s + ".125, \"dur\": 10, \"args\": {\"External id\": " + i
                                + ", \"Record function id\": 0, \"Ev Idx\": " + i + "}}");
                        out.write(",\n{\"ph\": \"X\", \"cat\": \"cpu_op\", \"name\": \"aten::addmm\", \"pid\": 1, \"tid\": "
                                + thread + ", \"ts\": " + (s + 2) + ".5, \"dur\": 6, \"args\": {\"External id\": " + i
                                + ", \"Record function id\": 0, \"Ev Idx\": " + i + "}}");
                    }
                    out.write(",\n{\"ph\": \"X\", \"cat\": \"kernel\", \"name\": \"volta_sgemm_128x64_nn\", \"pid\": 0, "
                            + "\"tid\": 7, \"ts\": " + (t + 3) + ", \"dur\": 4, \"args\": {\"device\": 0, \"stream\": 7}}");
                    t += 12;
                }
                out.write(",\n{\"ph\": \"X\", \"cat\": \"user_annotation\", \"name\": \"ProfilerStep#" + steps
                        + "\", \"pid\": 1, \"tid\": 0, \"ts\": " + stepStart + ", \"dur\": " + (t - stepStart) + "}");
                t += 100;
                steps++;
                out.flush();
            }
            out.write("\n]}\n");
        }
        return steps;
    }

    /** {@code BigTrace <file> <indexDir>}: decodes and prints {@code steps=… ops=… decodeMs=… windowMs=…}. */
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        long started = System.nanoTime();
        try (ProfileIndex index = Profiles.decode(Traces.file(file), ProfileFormat.PYTORCH_TRACE, Path.of(args[1]),
                Limits.DEFAULT)) {
            long decoded = System.nanoTime();
            ProfileIndex.Window window = index.window(index.spanNs() / 3, index.spanNs() / 3 + index.spanNs() / 10,
                    2000, 100_000);
            long windowed = System.nanoTime();
            ProfileIndex.Window whole = index.window(0, index.spanNs(), 2000, 100_000);
            long wholeDone = System.nanoTime();
            ProfileIndex.Op top = index.ops().getFirst();
            System.out.printf("steps=%d events=%d top=%s topCount=%d topSelfNs=%d windowEvents=%d wholeEvents=%d "
                            + "decodeMs=%d windowMs=%d wholeWindowMs=%d maxHeapMb=%d%n",
                    index.steps().size(), index.events(), top.name(), top.count(), top.selfNs(), window.events().size(),
                    whole.events().size(), (decoded - started) / 1_000_000, (windowed - decoded) / 1_000_000,
                    (wholeDone - windowed) / 1_000_000, Runtime.getRuntime().maxMemory() >> 20);
        }
    }
}
