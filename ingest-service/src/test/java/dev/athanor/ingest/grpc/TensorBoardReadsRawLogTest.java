package dev.athanor.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.ingest.index.IndexScheduler;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresControl;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.SourceFiles;
import dev.athanor.testing.OptionalPart;
import dev.athanor.testing.TensorBoardPython;
import dev.athanor.tfevents.testing.Fixtures;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Stock TensorBoard (the Python package, from the optional venv beside the repository) reads the
 * hot raw log as a logdir: its raw loader sees exactly the uploaded records, and its accumulator
 * sees the same series there as in the original logdir. Skipped when the venv is absent.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class TensorBoardReadsRawLogTest {

    private static final String SCRIPT = """
            import base64, json, sys
            from tensorboard.backend.event_processing.event_file_loader import RawEventFileLoader
            from tensorboard.backend.event_processing import event_accumulator, io_wrapper
            run_dir = sys.argv[1]
            records = []
            for f in sorted(io_wrapper.ListDirectoryAbsolute(run_dir)):
                if io_wrapper.IsSummaryEventsFile(f):
                    records += [base64.b64encode(r).decode() for r in RawEventFileLoader(f).Load()]
            from tensorboard.util import tensor_util
            acc = event_accumulator.EventAccumulator(run_dir, size_guidance={'tensors': 0})
            acc.Reload()
            loss = [[e.step, float(tensor_util.make_ndarray(e.tensor_proto))] for e in acc.Tensors('train/loss')]
            print(json.dumps({'records': records, 'loss': loss}))
            """;

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    IndexScheduler scheduler;

    @Test
    void tensorBoardReadsTheRawLogAsALogdir() throws Exception {
        Path python = TensorBoardPython.configured();
        OptionalPart.TENSORBOARD.assumePresent(Files.isExecutable(python), TensorBoardPython::missing);
        Path restart = Fixtures.file("generated/tf_summary/restart/events.out.tfevents.1795729064.vm.29665.5.v2")
                .getParent();
        List<Path> files;
        try (Stream<Path> list = Files.list(restart)) {
            files = list.sorted().toList();
        }
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("tensorboard");
        long runId = client.run(exp, "restart");
        client.upload(exp, "restart", files, 4);
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));

        Path runDir = PostgresControl.hotRoot().resolve("default/tensorboard/restart");
        Path script = Files.createTempFile("tb-read", ".py");
        Files.writeString(script, SCRIPT);
        JsonNode result = tensorBoardView(python, script, runDir);
        JsonNode original = tensorBoardView(python, script, restart);

        List<String> uploaded = new ArrayList<>();
        for (Path f : files) {
            SourceFiles.records(f).forEach(r -> uploaded.add(Base64.getEncoder().encodeToString(r.payload())));
        }
        List<String> read = new ArrayList<>();
        result.get("records").forEach(n -> read.add(n.asText()));
        assertThat(read).containsExactlyElementsOf(uploaded);
        // TensorBoard's accumulator sees the same series in the raw log as in the original logdir.
        assertThat(result.get("loss")).hasSize(13).isEqualTo(original.get("loss"));
    }

    private static JsonNode tensorBoardView(Path python, Path script, Path runDir) throws Exception {
        Process p = new ProcessBuilder(python.toString(), script.toString(), runDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return new ObjectMapper().readTree(out);
    }
}
