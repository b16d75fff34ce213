package dev.athanor.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import dev.athanor.systemtests.harness.BackgroundCli;
import dev.athanor.systemtests.harness.TensorBoardHttp;
import dev.athanor.systemtests.harness.TensorBoardOnLogdir;
import dev.athanor.systemtests.harness.TensorBoardQuestions.Question;
import dev.athanor.systemtests.harness.TensorBoardQuestions;
import dev.athanor.testing.OptionalPart;
import dev.athanor.testing.TensorBoardPython;
import dev.athanor.tfevents.testing.Fixtures;
import dev.athanor.tfevents.testing.JsonDiff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stock TensorBoard shows the same thing whether it reads the shared fixtures' files ({@code --logdir},
 * its default Rust loader) or Athanor through {@code athanor tensorboard} (the fixtures uploaded as
 * {@value UploadedSuite#FIXTURES_EXPERIMENT}): every question its web app asks — runs, plugins,
 * tags per plugin, every scalar point bit for bit, histograms and distributions, image and audio
 * bytes, text, PR curves, graphs, custom scalars, hparams experiment, session groups and metric
 * evaluations — gets the same answer. Both sides are told to keep every point
 * ({@link #EVERY_POINT} samples per plugin), so neither samples.
 */
@ExtendWith(UploadedSuiteExtension.class)
class TensorBoardParityTest {

    /**
     * More than any fixture series holds. Not 0: through a data provider TensorBoard asks for
     * {@code num_points = 0}, which means none (only its own logdir loader reads 0 as "all").
     */
    static final int EVERY_POINT = 1_000_000;
    static final List<String> SAMPLE_EVERYTHING = List.of("--samples_per_plugin", String.join(",",
            List.of("scalars", "histograms", "distributions", "images", "audio", "text", "pr_curves", "graphs",
                    "hparams", "custom_scalars").stream().map(plugin -> plugin + "=" + EVERY_POINT).toList()));

    /** The hparams plugin's experiment question. */
    static final String HPARAMS_EXPERIMENT = "POST data/plugin/hparams/experiment {\"experimentName\":\"\"}";

    /**
     * Answers that may differ, question → why. With every point asked for on both sides TensorBoard
     * on files samples nothing, so the only entry is an answer TensorBoard on files does not define:
     * the fixtures hold several {@code _hparams_/experiment} summaries (in different runs), and
     * TensorBoard shows an arbitrary one — its hparams plugin takes the first run that has one
     * ({@code backend_context._find_experiment_tag}) and its Rust loader lists runs from a HashMap
     * with a random seed per process, so two TensorBoards on the same files pick differently.
     */
    static final Map<String, String> DIFFERENT_BY_DESIGN = Map.of(HPARAMS_EXPERIMENT,
            "TensorBoard on files picks an arbitrary one of several _hparams_/experiment summaries");

    private static final Pattern URL = Pattern.compile(" at (http://\\S+/)");

    @Test
    void stockTensorBoardAnswersTheSameOnAthanorAsOnTheFiles(UploadedSuite suite, @TempDir Path temp) throws Exception {
        Path python = TensorBoardPython.withTensorBoard().orElse(null);
        OptionalPart.TENSORBOARD.assumePresent(python != null, TensorBoardPython::missing);
        OptionalPart.FIXTURES.assumePresent(suite.fixtures().isPresent(), "the shared fixtures (../shared/fixtures/tfevents) are missing");
        Path logdir = eventFilesOnly(temp.resolve("logdir"));

        try (TensorBoardOnLogdir files = TensorBoardOnLogdir.start(python, logdir, runsOf(logdir), SAMPLE_EVERYTHING);
             BackgroundCli athanor = BackgroundCli.start(athanorTensorBoard(suite, python))) {
            TensorBoardHttp throughAthanor = new TensorBoardHttp(athanor.awaitOutput(URL, Duration.ofMinutes(3)));
            List<Question> questions = TensorBoardQuestions.of(files.http());
            Map<String, Integer> asked = new TreeMap<>();
            Map<String, String> differences = new LinkedHashMap<>();
            for (Question question : questions) {
                asked.merge(question.plugin(), 1, Integer::sum);
                Object expected = question.ask(files.http());
                Object actual = question.ask(throughAthanor);
                String difference = difference(expected, actual);
                if (difference != null) {
                    differences.put(question.toString(), question.plugin() + ": " + question + "\n" + difference);
                }
            }
            System.out.println("[parity] questions per plugin: " + asked + "; different: " + differences.size());
            differences.values().forEach(difference -> System.out.println("[parity] " + difference));

            assertReferenceHoldsEveryPlugin(asked, files.http());
            Map<String, String> unexplained = new LinkedHashMap<>(differences);
            unexplained.keySet().removeAll(DIFFERENT_BY_DESIGN.keySet());
            assertThat(unexplained).as("answers of TensorBoard through Athanor that differ from TensorBoard on the files:\n"
                    + String.join("\n", unexplained.values())).isEmpty();
            assertThat(athanor.stderr()).as("no refusal or failure was reported").doesNotContain("athanor tensorboard:");
            assertThat(throughAthanor.post("data/plugin/hparams/experiment", "{\"experimentName\":\"\"}").json()
                    .path("hparamInfos")).as("an hparams experiment is shown").isNotEmpty();
        }
    }

    private static String[] athanorTensorBoard(UploadedSuite suite, Path python) {
        List<String> args = new ArrayList<>(List.of("tensorboard", "--experiment", UploadedSuite.FIXTURES_EXPERIMENT,
                "--server", suite.server(), "--data-provider", suite.dataProviderEndpoint(), "--python",
                python.toString(), "--port", "0", "--"));
        args.addAll(SAMPLE_EVERYTHING);
        return args.toArray(String[]::new);
    }

    /** The fixtures' event files only (not the golden JSON beside them, which TensorBoard would try to read). */
    private static Path eventFilesOnly(Path logdir) throws Exception {
        for (Path file : Fixtures.eventFiles()) {
            Path copy = logdir.resolve(Fixtures.relativeName(file));
            Files.createDirectories(copy.getParent());
            Files.copy(file, copy);
        }
        return logdir;
    }

    /** The run names TensorBoard gives: directories holding event files, relative to the logdir ("." for itself). */
    private static Set<String> runsOf(Path logdir) throws Exception {
        Set<String> runs = new TreeSet<>();
        try (var files = Files.walk(logdir)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                String run = logdir.relativize(file.getParent()).toString().replace('\\', '/');
                runs.add(run.isEmpty() ? "." : run);
            });
        }
        return runs;
    }

    /** The comparison could only pass vacuously if TensorBoard on the files showed nothing: it shows every plugin the fixtures hold. */
    private static void assertReferenceHoldsEveryPlugin(Map<String, Integer> asked, TensorBoardHttp files) {
        JsonNode listing = files.get("data/plugins_listing").json();
        for (String plugin : List.of("scalars", "histograms", "distributions", "images", "audio", "pr_curves",
                "graphs", "custom_scalars", "hparams", "text")) {
            assertThat(listing.path(plugin).path("enabled").asBoolean()).as(plugin + " is active on the files").isTrue();
        }
        assertThat(asked.get("scalars")).as("scalar series compared").isGreaterThan(50);
        assertThat(asked.get("images")).as("image series compared").isGreaterThan(3);
        assertThat(asked.get("hparams")).as("hparams questions").isGreaterThan(2);
    }

    /** Null when equal (JSON: structurally, doubles bit for bit); else where they differ, files first. */
    private static String difference(Object files, Object athanor) {
        if (files instanceof JsonNode expected && athanor instanceof JsonNode actual) {
            List<String> paths = JsonDiff.diff(expected, actual, 8);
            return paths.isEmpty() ? null : "    " + String.join("\n    ", paths);
        }
        return Objects.equals(files, athanor) ? null
                : "    files:   " + excerpt(files) + "\n    athanor: " + excerpt(athanor);
    }

    private static String excerpt(Object answer) {
        String text = String.valueOf(answer);
        return text.length() > 400 ? text.substring(0, 400) + "… (" + text.length() + " chars)" : text;
    }
}
