package dev.athanor.systemtests.webui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Value;
import dev.athanor.cli.testing.SmallSweep;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.tfevents.event.EventFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Side-by-side comparison in a real headless Chromium against the real suite: three runs picked
 * in the runs table and compared; the table must show exactly what GET …/compare answers, and the
 * best steps must be those of the values written here. The comparison's URL opens it again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(UploadedSuiteExtension.class)
class WebUiRunCompareTest {

    private static final String EXPERIMENT = "web-compare";
    private static final String[] RUNS = {"adam_lr1", "adam_lr3", "sgd_lr3", "sgd_lr9"};
    private static final double[] LRS = {1, 3, 3, 9};
    private static final String[] OPTIMIZERS = {"adam", "adam", "sgd", "sgd"};
    private static final int STEPS = 30;
    /** The runs compared: the first three rows. */
    private static final int COMPARED = 3;

    private HeadlessChromium browser;
    private UploadedSuite suite;
    private long experiment;

    @BeforeAll
    void start(UploadedSuite uploaded) throws IOException, InterruptedException {
        browser = HeadlessChromium.startOrSkip();
        suite = uploaded;
        Path logdir = Files.createTempDirectory(suite.home(), "web-compare-");
        for (int i = 0; i < RUNS.length; i++) {
            writeRun(logdir.resolve(RUNS[i]), i);
        }
        suite.upload(logdir, EXPERIMENT);
        experiment = suite.awaitRuns(EXPERIMENT, "hparams.lr > 0 and metrics.accuracy@count = " + STEPS, RUNS.length);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void threeRunsPickedInTheTableAreComparedAsTheApiSaysAndTheLinkOpensItAgain() throws IOException {
        browser.open(suite.server() + "/#/e/" + experiment + "/scalars?runs=");
        browser.await("every run", d -> String.valueOf(RUNS.length).equals(browser.script(
                "return document.querySelector('.runs-table')?.dataset.total")));
        // One script: the virtualised table renders its rows again after each click.
        browser.script("""
                for (const path of arguments[0]) {
                  document.querySelector(`.runs-row[data-run-path='${path}'] input[type=checkbox]`).click();
                }""", List.of(RUNS).subList(0, COMPARED));
        browser.await("Compare offered for three runs", d -> "Compare 3".equals(browser.script(
                "const b = document.querySelector('button.compare-runs'); return b && !b.disabled ? b.textContent : null")));
        browser.awaitElement("button.compare-runs").click();
        browser.await("the comparison table", d -> "true".equals(browser.script(
                "return document.querySelector('.compare-table-host')?.dataset.loaded")));
        String url = browser.driver().getCurrentUrl();
        Map<String, Object> table = readTable();
        @SuppressWarnings("unchecked")
        String ids = String.join(",", (List<String>) table.get("runs"));
        assertThat(url).contains("compare=" + ids.replace(",", "%2C"));

        JsonNode api = suite.get("/api/v1/experiments/" + experiment + "/compare?runs=" + ids);
        assertThat(api.path("runs").findValuesAsText("path")).containsExactly(RUNS[0], RUNS[1], RUNS[2]);
        assertTable(table, api);

        // What "best" is follows the tag: the lowest loss, the highest accuracy, at the steps written here.
        for (int run = 0; run < COMPARED; run++) {
            assertThat(api.at("/metrics/1/tag").asText()).isEqualTo("loss");
            assertThat(api.at("/metrics/1/goal").asText()).isEqualTo("min");
            assertThat(api.at("/metrics/1/values/" + run + "/bestStep").asInt()).as(RUNS[run] + " best loss step")
                    .isEqualTo(argBest(run, false));
            assertThat(api.at("/metrics/0/tag").asText()).isEqualTo("accuracy");
            assertThat(api.at("/metrics/0/goal").asText()).isEqualTo("max");
            assertThat(api.at("/metrics/0/values/" + run + "/bestStep").asInt()).as(RUNS[run] + " best accuracy step")
                    .isEqualTo(argBest(run, true));
        }

        // The runs' charts overlaid under the table.
        String lossChart = ".run-compare .scalar-card[data-tag=\"loss\"] .scalar-chart";
        assertThat(browser.script("return document.querySelector('.run-compare .group-picker').hidden"))
                .as("no run groups among the compared runs").isEqualTo(true);
        browser.await("the overlaid loss chart", d -> String.valueOf(COMPARED).equals(browser.script(
                "return document.querySelector(arguments[0])?.dataset.series", lossChart)));
        browser.script("window.scrollTo(0, 0)");
        Path shot = browser.screenshot("run-compare");
        Files.copy(shot, UploadedSuite.repoRoot().resolve("docs/web-ui-compare.png"), StandardCopyOption.REPLACE_EXISTING);

        // The link opens the same comparison; back leaves it.
        browser.open(suite.server() + "/");
        browser.open(url);
        browser.await("the shared comparison", d -> "true".equals(browser.script(
                "return document.querySelector('.compare-table-host')?.dataset.loaded")));
        assertTable(readTable(), api);
        browser.awaitElement("button.compare-close").click();
        browser.await("the tabs again", d -> !d.getCurrentUrl().contains("compare=")
                && Boolean.TRUE.equals(browser.script("return !document.querySelector('.tabs').hidden")));
        assertThat(browser.scriptErrors()).as("script errors in the console").isEmpty();
    }

    /** The table as one script reads it: column run ids, and per row its key, differs flag and cells. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> readTable() {
        return (Map<String, Object>) browser.script("""
                const table = document.querySelector('.run-compare-table');
                const cells = (tr) => [...tr.querySelectorAll('td')].map((td) => ({
                  value: td.dataset.value, step: td.dataset.step ?? '', best: td.classList.contains('best') }));
                return {
                  runs: [...table.querySelectorAll('thead th[data-run]')].map((th) => th.dataset.run),
                  hparams: [...table.querySelectorAll('tr[data-hparam]')].map((tr) => ({
                    name: tr.dataset.hparam, differs: tr.classList.contains('differs'), cells: cells(tr) })),
                  metrics: [...table.querySelectorAll('tr[data-tag]')].map((tr) => ({
                    tag: tr.dataset.tag, stat: tr.dataset.stat, differs: tr.classList.contains('differs'), cells: cells(tr) })),
                };""");
    }

    @SuppressWarnings("unchecked")
    private static void assertTable(Map<String, Object> table, JsonNode api) {
        List<String> runIds = new ArrayList<>();
        api.path("runs").forEach(r -> runIds.add(r.path("id").asText()));
        assertThat((List<String>) table.get("runs")).containsExactlyElementsOf(runIds);

        List<Map<String, Object>> hparams = (List<Map<String, Object>>) table.get("hparams");
        assertThat(hparams).hasSize(api.path("hparams").size());
        for (int i = 0; i < hparams.size(); i++) {
            JsonNode row = api.path("hparams").get(i);
            Map<String, Object> shown = hparams.get(i);
            assertThat(shown.get("name")).isEqualTo(row.path("name").asText());
            assertThat(shown.get("differs")).as(row.path("name").asText()).isEqualTo(row.path("differs").asBoolean());
            List<Map<String, Object>> cells = (List<Map<String, Object>>) shown.get("cells");
            for (int r = 0; r < runIds.size(); r++) {
                assertSameJson((String) cells.get(r).get("value"), row.path("values").get(r),
                        row.path("name").asText() + " of run " + r);
            }
        }
        // lr and optimizer differ among the three runs (lr 1, 3, 3; adam, adam, sgd).
        assertThat(hparams.stream().filter(h -> Boolean.TRUE.equals(h.get("differs"))).map(h -> h.get("name")))
                .containsExactlyInAnyOrder("lr", "optimizer");

        List<Map<String, Object>> metrics = (List<Map<String, Object>>) table.get("metrics");
        List<String> stats = List.of("last", "min", "max", "best");
        assertThat(metrics).hasSize(api.path("metrics").size() * stats.size());
        for (int m = 0; m < api.path("metrics").size(); m++) {
            JsonNode row = api.path("metrics").get(m);
            for (int s = 0; s < stats.size(); s++) {
                Map<String, Object> shown = metrics.get(m * stats.size() + s);
                String as = row.path("tag").asText() + " " + stats.get(s);
                assertThat(shown.get("tag")).isEqualTo(row.path("tag").asText());
                assertThat(shown.get("stat")).isEqualTo(stats.get(s));
                assertThat(shown.get("differs")).as(as).isEqualTo(row.path("differs").asBoolean());
                List<Map<String, Object>> cells = (List<Map<String, Object>>) shown.get("cells");
                for (int r = 0; r < runIds.size(); r++) {
                    JsonNode values = row.path("values").get(r);
                    assertThat(Double.parseDouble((String) cells.get(r).get("value"))).as(as + " of run " + r)
                            .isEqualTo(values.path(stats.get(s)).asDouble());
                    if (stats.get(s).equals("best")) {
                        assertThat(cells.get(r).get("step")).as(as + " step of run " + r)
                                .isEqualTo(values.path("bestStep").asText());
                        assertThat(cells.get(r).get("best")).as(as + ": the starred run " + r)
                                .isEqualTo(runIds.get(r).equals(row.path("bestRunId").asText()));
                    }
                }
            }
        }
    }

    /** A cell's JSON against the answer's: numbers by value (the page's JSON writes 1.0 as 1). */
    private static void assertSameJson(String shown, JsonNode expected, String as) {
        try {
            JsonNode cell = new com.fasterxml.jackson.databind.ObjectMapper().readTree(shown);
            if (expected.isNumber()) {
                assertThat(cell.isNumber()).as(as).isTrue();
                assertThat(cell.asDouble()).as(as).isEqualTo(expected.asDouble());
            } else {
                assertThat(cell).as(as).isEqualTo(expected);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(as + ": not JSON: " + shown, e);
        }
    }

    private static float loss(int run, int step) {
        // Falls, then creeps back up after a run-specific step: the best is not the last.
        int turn = 10 + 5 * run;
        return (float) (LRS[run] / 10.0 + Math.abs(step - turn) / 10.0);
    }

    private static float accuracy(int run, int step) {
        int peak = 20 - 4 * run;
        return (float) (0.9 - Math.abs(step - peak) / 100.0 - run / 50.0);
    }

    /** The first step of the lowest loss (or the highest accuracy) written for a run. */
    private static int argBest(int run, boolean accuracy) {
        int best = 0;
        for (int step = 1; step < STEPS; step++) {
            float v = accuracy ? accuracy(run, step) : loss(run, step);
            float b = accuracy ? accuracy(run, best) : loss(run, best);
            if (accuracy ? v > b : v < b) {
                best = step;
            }
        }
        return best;
    }

    private static void writeRun(Path dir, int run) throws IOException {
        double start = 1_795_000_000.0 + run * 100;
        try (EventFileWriter writer = EventFileWriter.create(dir)) {
            writer.write(SmallSweep.sessionStart(start, Map.of("lr", Value.newBuilder().setNumberValue(LRS[run]).build(),
                    "optimizer", Value.newBuilder().setStringValue(OPTIMIZERS[run]).build(),
                    "epochs", Value.newBuilder().setNumberValue(STEPS).build())));
            for (int step = 0; step < STEPS; step++) {
                writer.write(Event.newBuilder().setWallTime(start + step).setStep(step).setSummary(Summary.newBuilder()
                        .addValue(Summary.Value.newBuilder().setTag("loss").setSimpleValue(loss(run, step)))
                        .addValue(Summary.Value.newBuilder().setTag("accuracy").setSimpleValue(accuracy(run, step))))
                        .build());
            }
        }
    }
}
