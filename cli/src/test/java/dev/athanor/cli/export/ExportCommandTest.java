package dev.athanor.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.testing.Cli;
import dev.athanor.cli.testing.ExportableRecords;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import dev.athanor.testing.OptionalPart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code athanor export} against the real query service holding uploaded logdirs. */
@ExtendWith(UploadedSuiteExtension.class)
class ExportCommandTest {

    private static UploadedSuite suite;

    @TempDir
    Path temp;

    @BeforeAll
    static void suite(UploadedSuite uploaded) {
        suite = uploaded;
    }

    private static Cli.Outcome athanor(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server=" + suite.server());
        return Cli.run(all.toArray(String[]::new));
    }

    /** Records as a multiset: export order (run, tag, step) differs from inspect's file order. */
    private static Map<JsonNode, Integer> multiset(List<JsonNode> records) {
        Map<JsonNode, Integer> counts = new HashMap<>();
        records.forEach(record -> counts.merge(record, 1, Integer::sum));
        return counts;
    }

    private static List<JsonNode> lines(String text) {
        return text.lines().filter(line -> !line.isBlank()).map(ExportableRecords::parse).toList();
    }

    @Test
    void jsonLinesToAFileEqualWhatInspectPrintsForTheUploadedLogdir() throws IOException {
        Path file = temp.resolve("export.jsonl");
        Cli.Outcome outcome = athanor("export", "--experiment", UploadedSuite.EXPERIMENT, "--format", "jsonl",
                "--output", file.toString());
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.stdout()).isEmpty();
        assertThat(temp.resolve("export.jsonl.part")).doesNotExist();

        List<JsonNode> exported = lines(Files.readString(file, StandardCharsets.UTF_8));
        List<JsonNode> inspected = ExportableRecords.inspect(suite.logdir());
        List<JsonNode> series = inspected.stream().filter(r -> !ExportableRecords.isHparams(r)).toList();
        // Everything but the hparams records (they are run attributes, not values) comes back, field for field.
        assertThat(inspected.size() - series.size()).isEqualTo(3);
        assertThat(multiset(exported)).isEqualTo(multiset(series));
        assertThat(exported).hasSize(3 * 2 * 10 + 2 + 2);
        assertThat(exported.stream().map(r -> r.path("value").asText()).toList()).contains("NaN", "Infinity");
        assertThat(exported).anySatisfy(r -> assertThat(r.has("blob_bytes")).isTrue());
        assertThat(exported).anySatisfy(r -> assertThat(r.path("dtype").asText()).isEqualTo("DT_DOUBLE"));
        assertThat(outcome.stderr()).contains("athanor export: 64 lines").contains("of 3 runs").contains(file.toString());
    }

    @Test
    void jsonLinesOfTheSharedFixturesEqualInspectForEveryValue() throws IOException {
        OptionalPart.FIXTURES.assumePresent(suite.fixtures().isPresent(), "the shared fixtures (../shared/fixtures/tfevents) are absent");
        Path file = temp.resolve("fixtures.jsonl");
        Cli.Outcome outcome = athanor("export", "--experiment", UploadedSuite.FIXTURES_EXPERIMENT, "-o", file.toString());
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        List<JsonNode> exported = lines(Files.readString(file, StandardCharsets.UTF_8));
        List<JsonNode> expected = ExportableRecords.of(suite.fixtures().get());
        long scalars = expected.stream().filter(r -> r.has("value")).count();
        System.out.printf("fixtures: %d exported values (%d scalars) equal inspect's%n", exported.size(), scalars);
        assertThat(scalars).isGreaterThan(15_000);
        assertThat(multiset(exported)).isEqualTo(multiset(expected));
    }

    @Test
    void csvToStandardOutputForSomeRunsAndTags() {
        Cli.Outcome outcome = athanor("export", "--experiment", UploadedSuite.EXPERIMENT, "--format", "csv",
                "--run", "diverged", "--run", "sweep/eval", "--tags", "loss");
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        String[] rows = outcome.stdout().split("\r\n");
        assertThat(rows[0]).isEqualTo("run,tag,step,wall_time,plugin,value");
        assertThat(rows).hasSize(1 + 2 * 10);
        assertThat(rows).contains("diverged,loss,3,1790000000.875,scalars,NaN", "diverged,loss,4,1790000001.125,scalars,Infinity");
        assertThat(List.of(rows).subList(1, rows.length)).allMatch(row -> row.contains(",loss,"))
                .noneMatch(row -> row.startsWith("good,"));
        assertThat(outcome.stderr()).contains("20 rows").contains("of 2 runs").contains("to standard output");
    }

    @Test
    void aFilterAndPluginsSelectAndStepsBound() {
        Cli.Outcome outcome = athanor("export", "--experiment", UploadedSuite.EXPERIMENT, "--filter",
                "hparams.lr < 0.1", "--plugins", "histograms,images", "--step-min", "5", "--quiet");
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        assertThat(outcome.stderr()).isEmpty();
        List<JsonNode> records = lines(outcome.stdout());
        assertThat(records).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("run").asText()).isEqualTo("good");
            assertThat(r.get("step").asLong()).isEqualTo(5);
        });
        assertThat(records).extracting(r -> r.get("plugin").asText()).containsExactlyInAnyOrder("histograms", "images");
    }

    @Test
    void aFilterTooLongForAUrlIsSentByPostWithTheSameSelection() {
        StringBuilder filter = new StringBuilder("hparams.lr < 0.1");
        for (int i = 0; filter.length() < 9_000; i++) {
            filter.append(" and path != 'no-such-run-").append(i).append("'");
        }
        Cli.Outcome outcome = athanor("export", "--experiment", UploadedSuite.EXPERIMENT, "--filter",
                filter.toString(), "--plugins", "histograms,images", "--step-min", "5", "--quiet");
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        List<JsonNode> records = lines(outcome.stdout());
        assertThat(records).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("run").asText()).isEqualTo("good");
            assertThat(r.get("step").asLong()).isEqualTo(5);
        });
    }

    @Test
    void anExistingFileIsReplacedOnlyByACompleteExport() throws IOException {
        Path file = temp.resolve("out.csv");
        Files.writeString(file, "old");
        Cli.Outcome bad = athanor("export", "--experiment", UploadedSuite.EXPERIMENT, "--filter", "path ~ ", "-o",
                file.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("athanor export: filter: at column").contains("  path ~ \n");
        assertThat(Files.readString(file)).isEqualTo("old");
        assertThat(temp.resolve("out.csv.part")).doesNotExist();

        Cli.Outcome good = athanor("export", "--experiment", UploadedSuite.EXPERIMENT, "--format", "csv", "--run",
                "good", "--tags", "val_accuracy", "-o", file.toString());
        assertThat(good.exitCode()).as(good.toString()).isZero();
        assertThat(Files.readString(file).split("\r\n")).hasSize(11);
    }

    @Test
    void badSelectionsAreUsageErrorsNamingWhatIsMissing() {
        Cli.Outcome run = athanor("export", "--experiment", UploadedSuite.EXPERIMENT, "--run", "nope");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("run 'nope' not found in experiment '" + UploadedSuite.EXPERIMENT + "'");
        Cli.Outcome noExperiment = athanor("export", "--format", "csv");
        assertThat(noExperiment.exitCode()).isEqualTo(2);
        assertThat(noExperiment.stderr()).contains("Missing required option: '--experiment=NAME|ID'");
        Cli.Outcome directory = athanor("export", "--experiment", UploadedSuite.EXPERIMENT, "-o", temp.toString());
        assertThat(directory.exitCode()).isEqualTo(2);
        assertThat(directory.stderr()).contains("is a directory");
    }
}
