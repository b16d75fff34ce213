package dev.athanor.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.cli.testing.Cli;
import dev.athanor.cli.testing.ProfilerOutput;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code athanor runs list|show} against the real query service holding an uploaded logdir. */
@ExtendWith(UploadedSuiteExtension.class)
class RunsCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPERIMENT = UploadedSuite.EXPERIMENT;

    private static String server;
    private static long experimentId;

    @BeforeAll
    static void suite(UploadedSuite suite) {
        server = suite.server();
        experimentId = suite.experimentId(EXPERIMENT);
    }

    private static Cli.Outcome athanor(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server=" + server);
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void listsTheRunsOfAnExperimentByNameAsJsonWithTypedHparams() throws IOException {
        Cli.Outcome outcome = athanor("runs", "list", "--experiment", EXPERIMENT, "--format", "json");
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        JsonNode runs = JSON.readTree(outcome.stdout());
        Map<String, JsonNode> byPath = new TreeMap<>();
        runs.forEach(run -> byPath.put(run.get("path").asText(), run));
        assertThat(byPath.keySet()).containsExactly("diverged", "good", "sweep/eval");
        assertThat(byPath.get("good").get("hparams").get("lr").asDouble()).isEqualTo(0.01);
        assertThat(byPath.get("good").get("hparams").get("optimizer").asText()).isEqualTo("adam");
        assertThat(byPath.get("good").get("experimentId").asLong()).isEqualTo(experimentId);
    }

    /**
     * Issue 17: a run deleted to the trash disappears from lists and exports, and a restore gives
     * back exactly what was there — `athanor export` before the delete equals the one after.
     */
    @Test
    void aDeletedRunIsRestoredExactlyAsItWas() throws IOException {
        Cli.Outcome before = athanor("export", "--experiment", EXPERIMENT, "--format", "jsonl");
        assertThat(before.exitCode()).as(before.toString()).isZero();
        Cli.Outcome deleted = athanor("runs", "delete", "--experiment", EXPERIMENT, "diverged");
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        String runId = deleted.stdout().replaceAll("(?s)^run (\\d+) .*", "$1");
        try {
            assertThat(deleted.stdout()).contains("(diverged) is in the trash until")
                    .contains("athanor runs restore " + runId);
            Cli.Outcome listed = athanor("runs", "list", "--experiment", EXPERIMENT, "--format", "json");
            assertThat(JSON.readTree(listed.stdout())).extracting(r -> r.get("path").asText())
                    .containsExactly("good", "sweep/eval");
            assertThat(athanor("export", "--experiment", EXPERIMENT, "--format", "jsonl").stdout())
                    .doesNotContain("diverged");
            Cli.Outcome notTrashed = athanor("runs", "purge", "--experiment", EXPERIMENT, "good");
            assertThat(notTrashed.exitCode()).isEqualTo(2);
            assertThat(notTrashed.stderr()).contains("not in the trash");
        } finally {
            Cli.Outcome restored = athanor("runs", "restore", runId);
            assertThat(restored.exitCode()).as(restored.toString()).isZero();
            assertThat(restored.stdout()).contains("run " + runId + " (diverged) is restored");
        }
        Cli.Outcome after = athanor("export", "--experiment", EXPERIMENT, "--format", "jsonl");
        assertThat(after.stdout()).isEqualTo(before.stdout());
    }

    @Test
    void theExperimentMayBeGivenByIdToo() throws IOException {
        Cli.Outcome outcome = athanor("runs", "list", "--experiment", Long.toString(experimentId), "--format", "json");
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(JSON.readTree(outcome.stdout())).hasSize(3);
    }

    @Test
    void tableSortedByAMetricWithItsColumn() {
        Cli.Outcome outcome = athanor("runs", "list", "--experiment", EXPERIMENT,
                "--sort", "-metrics.val_accuracy@last", "--columns", "metrics.val_accuracy@last,hparams.lr");
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        List<String> lines = outcome.stdout().lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("RUN", "STATUS", "metrics.val_accuracy@last", "hparams.lr")
                .doesNotContain("EXPERIMENT");
        assertThat(lines).hasSize(4);
        // Highest final accuracy first; the float the writer stored reads back as its shortest decimal.
        assertThat(lines.get(1)).contains(" good ").contains("0.949999988079071").endsWith("0.01");
        assertThat(lines.get(2)).contains(" sweep/eval ").endsWith("0.05");
        assertThat(lines.get(3)).contains(" diverged ").contains("0.5").endsWith("0.5");
    }

    @Test
    void filterNarrowsAndCsvHasAColumnPerHparam() {
        Cli.Outcome outcome = athanor("runs", "list", "--experiment", EXPERIMENT, "--filter",
                "hparams.optimizer = 'sgd' and metrics.val_accuracy@last >= 0.9", "--columns", "metrics.loss@min",
                "--format", "csv");
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        String[] rows = outcome.stdout().split("\r\n");
        assertThat(rows).hasSize(2);
        assertThat(rows[0]).isEqualTo("id,experiment_id,experiment,run,status,started_at,last_event_at,ended_at,"
                + "session_group,session_status,hparams.lr,hparams.optimizer,metrics.loss@min");
        List<String> fields = List.of(rows[1].split(",", -1));
        assertThat(fields).hasSize(13);
        assertThat(fields.get(2)).isEqualTo(EXPERIMENT);
        assertThat(fields.get(3)).isEqualTo("sweep/eval");
        assertThat(fields.get(10)).isEqualTo("0.05");
        assertThat(fields.get(11)).isEqualTo("sgd");
        assertThat(Double.parseDouble(fields.get(12))).isEqualTo((double) (float) (1.0 / 10));
    }

    @Test
    void limitStopsEarlyAndSaysHowManyMatch() {
        Cli.Outcome outcome = athanor("runs", "list", "--experiment", EXPERIMENT, "--limit", "1");
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.stdout().lines()).hasSize(2);
        assertThat(outcome.stderr()).contains("showed 1 of 3 runs; --limit 0 lists all");
    }

    @Test
    void aFilterSyntaxErrorShowsTheServersMessageAndPointsAtTheColumn() {
        String filter = "hparams.lr < ";
        Cli.Outcome outcome = athanor("runs", "list", "--experiment", EXPERIMENT, "--filter", filter);
        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(2);
        List<String> err = outcome.stderr().lines().toList();
        assertThat(err.get(0)).startsWith("athanor runs list: filter: at column 14: expected");
        assertThat(err.get(1)).isEqualTo("  " + filter);
        assertThat(err.get(2)).isEqualTo("  " + " ".repeat(13) + "^");
        assertThat(outcome.stdout()).isEmpty();
    }

    @Test
    void anUnknownExperimentIsNamed() {
        Cli.Outcome outcome = athanor("runs", "list", "--experiment", "no-such-experiment");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).contains("experiment 'no-such-experiment' not found on " + server);
        Cli.Outcome byId = athanor("runs", "list", "--experiment", "987654321");
        assertThat(byId.exitCode()).isEqualTo(2);
        assertThat(byId.stderr()).contains("experiment '987654321' not found (by name or id)");
    }

    @Test
    void aFilterTooLongForAUrlIsSentByPost() throws IOException {
        StringBuilder filter = new StringBuilder("path = 'good'");
        for (int i = 0; filter.length() < 9_000; i++) {
            filter.append(" or path = 'no-such-run-").append(i).append("'");
        }
        Cli.Outcome outcome = athanor("runs", "list", "--experiment", EXPERIMENT, "--filter", filter.toString(),
                "--format", "json");
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        JsonNode runs = JSON.readTree(outcome.stdout());
        assertThat(runs).singleElement().satisfies(run -> assertThat(run.get("path").asText()).isEqualTo("good"));
    }

    @Test
    void showGroupsTagsByPluginAndListsHparams() {
        Cli.Outcome outcome = athanor("runs", "show", "good", "--experiment", EXPERIMENT);
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        String out = outcome.stdout();
        assertThat(out).startsWith("run         good");
        assertThat(out).contains("experiment  " + EXPERIMENT + " (id " + experimentId + ")");
        assertThat(out).containsPattern("(?m)^  lr +0\\.01$").containsPattern("(?m)^  optimizer +adam$");
        assertThat(out).contains("scalars (2 tags)").containsPattern("(?m)^  loss +scalar +10 +0 +9$")
                .containsPattern("(?m)^  val_accuracy +scalar +10 +0 +9$");
        assertThat(out).contains("histograms (1 tag)").containsPattern("(?m)^  weights +tensor +2 +0 +5$");
        assertThat(out).contains("images (1 tag)").containsPattern("(?m)^  samples +blob_sequence +2 +0 +5$");
        assertThat(out).containsPattern("(?m)^assets \\(4 files, \\d+ bytes\\)$")
                .containsPattern("(?m)^  plugins/profile/" + ProfilerOutput.SESSION + "/host\\.xplane\\.pb +300000 +[0-9a-f]{16}$")
                .contains("plugins/profile/" + ProfilerOutput.SESSION + "/host.trace.json.gz");
    }

    @Test
    void showListsTheAssetsAsJsonWithTheirDownloadUrls() throws IOException {
        JsonNode shown = JSON.readTree(athanor("runs", "show", "good", "--experiment", EXPERIMENT, "--format", "json")
                .stdout());
        JsonNode assets = shown.get("assets");
        assertThat(assets).hasSize(4);
        JsonNode xplane = null;
        for (JsonNode asset : assets) {
            if (asset.get("path").asText().endsWith("host.xplane.pb")) {
                xplane = asset;
            }
        }
        assertThat(xplane).isNotNull();
        assertThat(xplane.get("size").asLong()).isEqualTo(300_000);
        assertThat(xplane.get("sha256").asText()).hasSize(64);
        assertThat(xplane.get("downloadUrl").asText()).startsWith("/api/v1/runs/" + shown.get("run").get("id").asLong()
                + "/assets/data?path=plugins%2Fprofile%2F");
    }

    @Test
    void showByIdAsJson() throws IOException {
        long id = JSON.readTree(athanor("runs", "list", "--experiment", EXPERIMENT, "--filter", "path = 'diverged'",
                "--format", "json").stdout()).get(0).get("id").asLong();
        Cli.Outcome outcome = athanor("runs", "show", Long.toString(id), "--format", "json");
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        JsonNode shown = JSON.readTree(outcome.stdout());
        assertThat(shown.get("run").get("path").asText()).isEqualTo("diverged");
        assertThat(shown.get("tags").get("scalars")).hasSize(2);
        assertThat(shown.get("assets")).isEmpty();
    }

    @Test
    void unknownRunsAreNamed() {
        Cli.Outcome byId = athanor("runs", "show", "987654321");
        assertThat(byId.exitCode()).isEqualTo(2);
        assertThat(byId.stderr()).contains("run 987654321 not found");
        Cli.Outcome byPath = athanor("runs", "show", "nope/never", "--experiment", EXPERIMENT);
        assertThat(byPath.exitCode()).isEqualTo(2);
        assertThat(byPath.stderr()).contains("run 'nope/never' not found in experiment '" + EXPERIMENT + "'");
        Cli.Outcome pathWithoutExperiment = athanor("runs", "show", "good");
        assertThat(pathWithoutExperiment.exitCode()).isEqualTo(2);
        assertThat(pathWithoutExperiment.stderr()).contains("give its experiment with --experiment");
    }
}
