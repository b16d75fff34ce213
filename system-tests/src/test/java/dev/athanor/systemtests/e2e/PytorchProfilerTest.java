package dev.athanor.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.cli.testing.Cli;
import dev.athanor.cli.testing.ProfilerOutput;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import dev.athanor.testing.OptionalPart;
import dev.athanor.testing.TensorBoardPython;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PyTorch's profiler as people use it, end to end: the real {@code torch.profiler} with
 * {@code tensorboard_trace_handler("<logdir>/<run>")} (the profile module's generator, which also
 * prints {@code prof.key_averages()}) writes {@code <worker>.<timestamp>.pt.trace.json.gz} straight
 * into the run directory, with no event file beside it; {@code athanor upload} sends it; the REST
 * API lists it as a session named by its timestamp and its steps and top ops agree with what
 * PyTorch itself reported. Skips (saying so) without a Python that has torch.
 */
@ExtendWith(UploadedSuiteExtension.class)
class PytorchProfilerTest {

    private static final String EXPERIMENT = "torch-trace-handler";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tracesWrittenIntoTheRunDirectoryArriveAndAgreeWithKeyAverages(UploadedSuite suite) throws Exception {
        Optional<Path> python = TensorBoardPython.withTorch();
        OptionalPart.TORCH.assumePresent(python.isPresent(), TensorBoardPython.torchMissing());
        Path logdir = Files.createTempDirectory(suite.home(), "torch-logdir-");
        generate(python.get(), logdir);
        Path runDir = logdir.resolve("torch");
        JsonNode expected = JSON.readTree(runDir.resolve("expected.json").toFile());
        List<Path> traces;
        try (Stream<Path> files = Files.list(runDir)) {
            traces = files.filter(f -> f.getFileName().toString().endsWith(".pt.trace.json.gz")).toList();
        }
        assertThat(traces).as("tensorboard_trace_handler wrote one trace into the run directory").hasSize(1);
        String fileName = traces.getFirst().getFileName().toString();
        String worker = fileName.substring(0, fileName.indexOf('.'));
        String timestamp = fileName.split("\\.")[1];
        try (Stream<Path> files = Files.list(runDir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains("tfevents"));
        }

        Cli.Outcome upload = Cli.run("upload", "--once", "--progress", "QUIET", "--asset-quiet-period", "PT0S",
                "--logdir", logdir.toString(), "--experiment", EXPERIMENT, "--endpoint", suite.grpcEndpoint());
        assertThat(upload.exitCode()).as(upload.toString()).isZero();

        long experiment = suite.get("/api/v1/experiments?name=" + EXPERIMENT).get("items").get(0).get("id").asLong();
        JsonNode runs = suite.get("/api/v1/runs?experiment=" + experiment).get("items");
        assertThat(runs).as("the directory of traces alone is a run").hasSize(1);
        assertThat(runs.get(0).get("path").asText()).isEqualTo("torch");
        long run = runs.get(0).get("id").asLong();

        JsonNode sessions = suite.get("/api/v1/runs/" + run + "/profiles").get("items");
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0).get("session").asText()).as("a session per timestamp").isEqualTo(timestamp);
        JsonNode file = sessions.get(0).get("files").get(0);
        assertThat(file.get("host").asText()).as("host = the worker").isEqualTo(worker);
        assertThat(file.get("path").asText()).as("stored where PyTorch wrote it").isEqualTo(fileName);
        assertThat(file.get("size").asLong()).isEqualTo(Files.size(traces.getFirst()));
        assertThat(suite.hotRoot().resolve("default/" + EXPERIMENT + "/torch/" + fileName))
                .as("the hot root keeps PyTorch's layout").hasSameBinaryContentAs(traces.getFirst());

        String base = "/api/v1/runs/" + run + "/profiles/" + timestamp;
        JsonNode steps = suite.getWhenReady(base + "/steps", Duration.ofMinutes(2));
        assertThat(steps.get("steps")).hasSize(expected.get("steps").asInt());
        assertThat(steps.get("steps").get(0).get("name").asText()).startsWith("ProfilerStep#");

        JsonNode ops = suite.getWhenReady(base + "/ops?limit=10000", Duration.ofMinutes(2)).get("items");
        Map<String, long[]> byName = new HashMap<>();
        for (JsonNode op : ops) {
            long[] sum = byName.computeIfAbsent(op.get("name").asText(), n -> new long[2]);
            sum[0] += op.get("count").asLong();
            sum[1] += op.get("selfNs").asLong();
        }
        for (Map.Entry<String, long[]> entry : byName.entrySet()) {
            JsonNode avg = expected.get("ops").get(entry.getKey());
            assertThat(avg).as("key_averages() has %s", entry.getKey()).isNotNull();
            long[] ours = entry.getValue();
            assertThat(ours[0]).as("count of %s", entry.getKey()).isEqualTo(avg.get("count").asLong());
            // key_averages sums float microseconds; the trace has them to the nanosecond
            assertThat(ours[1] / 1000.0).as("self time of %s", entry.getKey()).isCloseTo(avg.get("selfUs").asDouble(),
                    within(0.01 * ours[0] + 0.001 * avg.get("selfUs").asDouble()));
        }
        assertThat(byName.size()).isGreaterThan(20);
        assertThat(ops.get(0).get("name").asText()).as("the top op by self time").isEqualTo(ProfilerOutput.topBySelf(expected));
    }

    /** Runs the profile module's generator (torch only): OUT/torch/<worker>.<ts>.pt.trace.json.gz and expected.json. */
    private static void generate(Path python, Path out) throws IOException, InterruptedException {
        Path script = UploadedSuite.repoRoot().resolve("profile/src/test/profiles/generate_profiles.py");
        Path log = out.resolveSibling(out.getFileName() + ".log");
        Process process = new ProcessBuilder(python.toString(), script.toString(), out.toString(), "--torch")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the generator did not finish within 5 minutes: " + Files.readString(log));
        }
        assertThat(process.exitValue()).as(Files.readString(log)).isZero();
    }
}
