package dev.athanor.cli.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.testing.TensorBoardPython;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Profiler output in a run directory, laid out as the frameworks write it:
 * {@code plugins/profile/<session>/<host>.xplane.pb}, {@code <host>.trace.json.gz} and
 * {@code <host>.memory_profile.json.gz} (TensorFlow's profiler and Keras' {@code profile_batch}),
 * and {@code <worker>.<ts>.pt.trace.json} (PyTorch's {@code tensorboard_trace_handler}). The
 * synthetic files have the names and formats (gzip, Chrome trace JSON) but made-up content; the
 * real PyTorch profiler writes its own when a Python with torch is available.
 */
public final class ProfilerOutput {

    public static final String SESSION = "2026_11_27_00_00_00";

    private ProfilerOutput() {
    }

    /** Writes a session's files; returns their paths relative to the run directory. */
    public static List<String> writeSynthetic(Path runDir, String host, int xplaneBytes, long seed) throws IOException {
        Path session = Files.createDirectories(runDir.resolve("plugins/profile/" + SESSION));
        List<String> written = new ArrayList<>();
        byte[] xplane = new byte[xplaneBytes];
        new Random(seed).nextBytes(xplane);
        Files.write(session.resolve(host + ".xplane.pb"), xplane);
        written.add("plugins/profile/" + SESSION + "/" + host + ".xplane.pb");
        StringBuilder trace = new StringBuilder("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
        for (int i = 0; i < 2000; i++) {
            trace.append(i == 0 ? "" : ",").append("{\"ph\":\"X\",\"pid\":1,\"tid\":").append(i % 4)
                    .append(",\"name\":\"op").append(i % 37).append("\",\"ts\":").append(i * 10L)
                    .append(",\"dur\":").append(5 + i % 7).append('}');
        }
        trace.append("]}");
        gzip(session.resolve(host + ".trace.json.gz"), trace.toString());
        written.add("plugins/profile/" + SESSION + "/" + host + ".trace.json.gz");
        gzip(session.resolve(host + ".memory_profile.json.gz"), "{\"memoryProfilePerAllocator\":{}}");
        written.add("plugins/profile/" + SESSION + "/" + host + ".memory_profile.json.gz");
        Files.writeString(session.resolve("worker0.1795729068000.pt.trace.json"), trace.toString());
        written.add("plugins/profile/" + SESSION + "/worker0.1795729068000.pt.trace.json");
        return written;
    }

    /**
     * The op {@code prof.key_averages()} gave the most self time, from the generator's expected.json
     * (profile/src/test/profiles/generate_profiles.py); step markers are steps in Athanor, not ops.
     */
    public static String topBySelf(JsonNode expected) {
        String top = null;
        double best = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("ops").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> op = it.next();
            if (!op.getKey().startsWith("ProfilerStep") && op.getValue().get("selfUs").asDouble() > best) {
                best = op.getValue().get("selfUs").asDouble();
                top = op.getKey();
            }
        }
        return top;
    }

    private static void gzip(Path file, String content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Profiles a few matrix multiplications with the real {@code torch.profiler} and its
     * {@code tensorboard_trace_handler} into {@code <runDir>/plugins/profile/<session>/}; empty when
     * no Python with torch is available ({@link TensorBoardPython#configured()}).
     */
    public static Optional<Path> writeWithTorch(Path runDir) throws IOException, InterruptedException {
        Path python = TensorBoardPython.configured();
        if (!Files.isExecutable(python)) {
            return Optional.empty();
        }
        Path session = Files.createDirectories(runDir.resolve("plugins/profile/" + SESSION + "_torch"));
        String script = """
                import sys
                try:
                    import torch
                except ImportError:
                    sys.exit(3)
                from torch.profiler import profile, ProfilerActivity, tensorboard_trace_handler
                with profile(activities=[ProfilerActivity.CPU], on_trace_ready=tensorboard_trace_handler(sys.argv[1])) as p:
                    x = torch.randn(64, 64)
                    for _ in range(5):
                        x = x @ x
                """;
        Process process = new ProcessBuilder(python.toString(), "-c", script, session.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return Optional.empty();
        }
        return process.exitValue() == 0 ? Optional.of(session) : Optional.empty();
    }
}
