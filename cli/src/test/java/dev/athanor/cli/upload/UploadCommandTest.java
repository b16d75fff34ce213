package dev.athanor.cli.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.testing.Cli;
import dev.athanor.cli.testing.SmallSweep;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.tfevents.event.EventFileWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(UploadedSuiteExtension.class)
class UploadCommandTest {

    @TempDir
    Path temp;

    @Test
    void onceLeavesRunsRunningUnlessAskedToFinishThem(UploadedSuite suite) throws IOException {
        Path logdir = temp.resolve("logdir");
        SmallSweep.write(logdir);

        Cli.Outcome snapshot = Cli.run("upload", "--once", "--progress", "QUIET", "--logdir", logdir.toString(),
                "--experiment", "upload-once-snapshot", "--endpoint", suite.grpcEndpoint());
        assertThat(snapshot.exitCode()).as(snapshot.toString()).isZero();
        assertThat(statuses(suite, "upload-once-snapshot")).isNotEmpty().containsOnly("RUNNING");

        Cli.Outcome finished = Cli.run("upload", "--once", "--finish-runs", "--progress", "QUIET",
                "--logdir", logdir.toString(), "--experiment", "upload-once-finished", "--endpoint", suite.grpcEndpoint());
        assertThat(finished.exitCode()).as(finished.toString()).isZero();
        assertThat(statuses(suite, "upload-once-finished")).isNotEmpty().containsOnly("FINISHED");
    }

    @Test
    void dataForAFinishedRunReopensItAndRunsShowSaysWhy(UploadedSuite suite) throws IOException {
        Path logdir = temp.resolve("logdir");
        SmallSweep.write(logdir);
        String experiment = "upload-reopened";
        Cli.Outcome finished = Cli.run("upload", "--once", "--finish-runs", "--progress", "QUIET",
                "--logdir", logdir.toString(), "--experiment", experiment, "--endpoint", suite.grpcEndpoint());
        assertThat(finished.exitCode()).as(finished.toString()).isZero();
        assertThat(statuses(suite, experiment)).containsOnly("FINISHED");

        // Training resumed from a checkpoint: the job writes a new event file into the same run.
        Path resumed;
        try (EventFileWriter w = EventFileWriter.create(logdir.resolve("good"))) {
            w.write(Event.newBuilder().setWallTime(1_800_000_000.0).setStep(100).setSummary(Summary.newBuilder()
                    .addValue(Summary.Value.newBuilder().setTag("loss").setSimpleValue(0.01f))).build());
            resumed = w.file();
        }
        Cli.Outcome more = Cli.run("upload", "--once", "--progress", "QUIET", "--logdir", logdir.toString(),
                "--experiment", experiment, "--endpoint", suite.grpcEndpoint());
        assertThat(more.exitCode()).as(more.toString()).isZero();

        Cli.Outcome shown = Cli.run("runs", "show", "good", "--experiment", experiment, "--server", suite.server());
        assertThat(shown.exitCode()).as(shown.toString()).isZero();
        assertThat(shown.stdout()).containsPattern("(?m)^status +RUNNING$")
                .contains("history")
                .containsPattern("(?m)^  .+ +FINISHED +marked finished by FinishRun$")
                .containsPattern("(?m)^  .+ +REOPENED +new data in " + java.util.regex.Pattern.quote(
                        resumed.getFileName().toString()) + " after the run ended finished$");
        assertThat(statuses(suite, experiment)).containsExactlyInAnyOrder("RUNNING", "FINISHED", "FINISHED");
    }

    @Test
    void anUnreachableEndpointFailsWithExitCodeOne() throws IOException {
        Path logdir = temp.resolve("logdir");
        SmallSweep.write(logdir);
        Cli.Outcome outcome = Cli.run("upload", "--once", "--progress", "QUIET", "--retry-timeout", "PT2S",
                "--logdir", logdir.toString(), "--experiment", "nowhere", "--endpoint", "127.0.0.1:1");
        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(1);
    }

    private static List<String> statuses(UploadedSuite suite, String experiment) {
        long id = suite.experimentId(experiment);
        List<String> statuses = new ArrayList<>();
        for (JsonNode run : suite.get("/api/v1/runs?experiment=" + id + "&limit=100").get("items")) {
            statuses.add(run.get("status").asText());
        }
        return statuses;
    }
}
