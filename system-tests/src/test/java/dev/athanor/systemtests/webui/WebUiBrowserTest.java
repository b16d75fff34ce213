package dev.athanor.systemtests.webui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.cli.testing.SmallSweep;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.tfevents.testing.Fixtures;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The web UI in a real headless Chromium against the real suite (query-service serves the
 * bundle at / next to /api/v1) with the shared fixtures and the small sweep uploaded. Expected
 * values come from the fixtures' golden JSON and from {@code SmallSweep}, not from the API the
 * page reads. Screenshots of each view go to target/web-ui-screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(UploadedSuiteExtension.class)
class WebUiBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HeadlessChromium browser;
    private UploadedSuite suite;

    @BeforeAll
    void start(UploadedSuite uploaded) {
        browser = HeadlessChromium.startOrSkip();
        suite = uploaded;
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    /** The uploaded fixtures' experiment; skips (saying where it looked) when the fixtures are absent. */
    private long fixturesExperiment() {
        Fixtures.dir();
        return suite.experimentId(UploadedSuite.FIXTURES_EXPERIMENT);
    }

    private String page(long experimentId, String tab, String query) {
        return suite.server() + "/#/e/" + experimentId + "/" + tab + (query.isEmpty() ? "" : "?" + query);
    }

    @Test
    void theExperimentBrowserListsBothUploadedExperimentsAndSaysAuthIsOff() {
        browser.open(suite.server() + "/");
        browser.awaitElement("a[data-experiment-id]");
        Set<String> names = new TreeSet<>();
        for (WebElement link : browser.all("a[data-experiment-id]")) {
            names.add(link.getText());
        }
        assertThat(names).contains(UploadedSuite.EXPERIMENT);
        if (suite.fixtures().isPresent()) {
            assertThat(names).contains(UploadedSuite.FIXTURES_EXPERIMENT);
        }
        assertThat(browser.awaitElement(".auth-off").getText()).isEqualTo("auth off (local)");
        browser.screenshot("experiments");
        browser.awaitElement("button.theme-toggle").click();
        assertThat(browser.script("return document.documentElement.dataset.theme")).isEqualTo("dark");
        browser.screenshot("experiments-dark");
        browser.awaitElement("button.theme-toggle").click();
        assertThat(browser.script("return document.documentElement.dataset.theme")).isEqualTo("light");
    }

    @Test
    void theRunsTableListsEveryFixtureRun() {
        long experiment = fixturesExperiment();
        Set<String> expected = new TreeSet<>();
        for (Path file : Fixtures.eventFiles()) {
            expected.add(runOf(file));
        }
        browser.open(page(experiment, "scalars", ""));
        browser.await("the runs table", d -> browser.script("return document.querySelector('.runs-table')?.dataset.total") != null);
        assertThat(browser.script("return document.querySelector('.runs-table').dataset.total")).isEqualTo(String.valueOf(expected.size()));
        // The table is virtualised: scroll through it and collect every row it renders.
        @SuppressWarnings("unchecked")
        List<String> seen = (List<String>) browser.script("""
                const viewport = document.querySelector('.runs-viewport');
                const seen = new Set();
                return new Promise((resolve) => {
                  const step = () => {
                    document.querySelectorAll('.runs-row[data-run-path]').forEach((r) => seen.add(r.dataset.runPath));
                    if (viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - 1) { resolve([...seen]); return; }
                    viewport.scrollTop += viewport.clientHeight / 2;
                    requestAnimationFrame(() => requestAnimationFrame(step));
                  };
                  step();
                });""");
        assertThat(new TreeSet<>(seen)).isEqualTo(expected);
        browser.script("document.querySelector('.runs-viewport').scrollTop = 0");
        browser.screenshot("runs-and-scalars-fixtures");
    }

    @Test
    void aScalarChartDrawsOneSeriesPerRunThatLoggedTheTag() throws IOException {
        long experiment = fixturesExperiment();
        Map<String, Set<String>> runsByTag = scalarTagsByRun();
        // The scalar tag logged by the most runs (ties: the first by name).
        String tag = runsByTag.entrySet().stream()
                .max((a, b) -> a.getValue().size() != b.getValue().size()
                        ? Integer.compare(a.getValue().size(), b.getValue().size()) : b.getKey().compareTo(a.getKey()))
                .orElseThrow().getKey();
        int expected = runsByTag.get(tag).size();
        assertThat(expected).as("a fixture scalar tag logged by several runs").isGreaterThan(1);

        browser.open(page(experiment, "scalars", "tags=" + encode("^" + tag + "$")));
        String card = ".scalar-card[data-tag=\"" + tag + "\"]";
        browser.await("the chart of " + tag, d -> "true".equals(browser.script(
                "return document.querySelector(arguments[0])?.dataset.loaded", card)));
        Object drawn = browser.script("return document.querySelector(arguments[0] + ' .scalar-chart').dataset.series", card);
        assertThat(drawn).isEqualTo(String.valueOf(expected));
        // One uPlot series per run: the chart draws exactly as many lines as its legend knows.
        assertThat(browser.all(card + " canvas")).hasSize(1);
    }

    @Test
    void smoothingChangesTheDrawnLine() {
        long experiment = suite.experimentId(UploadedSuite.EXPERIMENT);
        browser.open(page(experiment, "scalars", "smooth=0&tags=" + encode("^val_accuracy$")));
        String chart = ".scalar-card[data-tag=\"val_accuracy\"] .scalar-chart";
        browser.await("the val_accuracy chart", d -> browser.script("return document.querySelector(arguments[0])?.dataset.series", chart) != null);
        assertThat(browser.script("return document.querySelector(arguments[0]).dataset.series", chart)).isEqualTo("3");
        String before = canvas(chart);

        WebElement slider = browser.awaitElement("input.smoothing");
        browser.script("arguments[0].value = '0.9'; arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", slider);
        browser.await("smoothing 0.9 applied", d -> "0.9".equals(browser.script("return document.querySelector(arguments[0]).dataset.smoothing", chart)));
        String after = canvas(chart);
        assertThat(after).as("the drawn chart after smoothing 0 -> 0.9").isNotEqualTo(before);
        assertThat(browser.driver().getCurrentUrl()).as("smoothing is in the URL").contains("smooth=0.9");
        browser.screenshot("scalars-smoothed");
    }

    @Test
    void ignoringOutliersNarrowsTheYRangeToTheBodyOfTheValues() {
        String chart = openValAccuracyUnsmoothed() + " .scalar-chart";
        double fullTop = Double.parseDouble(((String) browser.script("return document.querySelector(arguments[0]).dataset.yRange", chart)).split(",")[1]);

        browser.awaitElement("input.ignore-outliers").click();
        browser.await("outliers=1 in the URL", d -> d.getCurrentUrl().contains("outliers=1"));
        browser.await("the redrawn chart", d -> browser.script("return document.querySelector(arguments[0])?.dataset.yRange", chart) != null);
        double top = Double.parseDouble(((String) browser.script("return document.querySelector(arguments[0]).dataset.yRange", chart)).split(",")[1]);
        // SmallSweep: one run ends at 0.95, the next highest value is 0.92 — the 95th percentile of the 30 values.
        assertThat(top).as("y range top without the outlier").isLessThan(fullTop);
        assertThat(top).isGreaterThan(0.92);
    }

    @Test
    void theStepTableShowsEverySelectedRunsValueAtTheChosenStep() {
        String card = openValAccuracyUnsmoothed();
        WebElement step = browser.awaitElement("input.table-step");
        step.sendKeys("5", Keys.ENTER);
        browser.await("step=5 in the URL", d -> d.getCurrentUrl().contains("step=5"));
        browser.await("the step table", d -> "3".equals(browser.script("return document.querySelector(arguments[0] + ' .step-table')?.dataset.rows", card)));
        Map<String, String> values = new TreeMap<>();
        for (WebElement row : browser.all(card + " .step-table tbody tr")) {
            List<WebElement> cells = row.findElements(By.cssSelector("td"));
            assertThat(cells.get(2).getText()).as("the step of " + row.getDomAttribute("data-run")).isEqualTo("5");
            values.put(row.getDomAttribute("data-run"), cells.get(0).getText());
        }
        // SmallSweep: val_accuracy = final × step / STEPS before the last step (finals 0.95, 0.5, 0.92).
        assertThat(values).containsExactlyInAnyOrderEntriesOf(Map.of("good", "0.475", "diverged", "0.25", "sweep/eval", "0.46"));
        browser.screenshot("scalars-step-table");
    }

    /** Opens the small sweep's val_accuracy chart, unsmoothed, alone; returns its card's selector once drawn. */
    private String openValAccuracyUnsmoothed() {
        long experiment = suite.experimentId(UploadedSuite.EXPERIMENT);
        browser.open(page(experiment, "scalars", "smooth=0&tags=" + encode("^val_accuracy$")));
        // A URL differing from the last test's only in its hash does not load the page: load it, so no chart is left over.
        browser.driver().navigate().refresh();
        String card = ".scalar-card[data-tag=\"val_accuracy\"]";
        browser.await("the val_accuracy chart", d -> "true".equals(browser.script("return document.querySelector(arguments[0])?.dataset.loaded", card)));
        return card;
    }

    @Test
    void aPinnedChartComesFirstAndStaysPinnedAfterAReload() {
        long experiment = suite.experimentId(UploadedSuite.EXPERIMENT);
        browser.open(page(experiment, "scalars", ""));
        browser.await("the loss and val_accuracy charts", d -> d.findElements(By.cssSelector(".scalar-card[data-tag]")).size() >= 2);
        assertThat(browser.all(".scalar-card").get(0).getDomAttribute("data-tag")).as("tags in name order").isEqualTo("loss");
        browser.awaitElement(".scalar-card[data-tag='val_accuracy'] button.pin-chart").click();
        browser.await("pins in the URL", d -> d.getCurrentUrl().contains("pins=val_accuracy"));

        browser.driver().navigate().refresh();
        browser.await("the pinned section", d -> !d.findElements(By.cssSelector(".pinned-group .scalar-card[data-tag='val_accuracy']")).isEmpty());
        assertThat(browser.all(".scalar-card").get(0).getDomAttribute("data-tag")).as("the pinned chart first").isEqualTo("val_accuracy");
        assertThat(browser.awaitElement(".scalar-card[data-tag='val_accuracy'] button.pin-chart").getDomAttribute("aria-pressed")).isEqualTo("true");
    }

    @Test
    void theTooltipListsEveryRunAtTheCursorAndADragZoomsIntoAFinerRead() {
        long experiment = suite.experimentId(UploadedSuite.EXPERIMENT);
        browser.open(page(experiment, "scalars", "tags=" + encode("^val_accuracy$")));
        String card = ".scalar-card[data-tag=\"val_accuracy\"]";
        browser.await("the val_accuracy chart", d -> "1".equals(browser.script("return document.querySelector(arguments[0])?.dataset.loads", card)));
        WebElement over = browser.awaitElement(card + " .u-over");
        new Actions(browser.driver()).moveToElement(over, 10, 0).perform();
        browser.awaitElement(card + " .chart-tooltip:not([hidden])");
        assertThat(browser.all(card + " .chart-tooltip tbody tr")).as("one tooltip row per run").hasSize(3);

        int width = over.getRect().getWidth();
        new Actions(browser.driver()).moveToElement(over, -width / 4, 0).clickAndHold()
                .moveByOffset(width / 2, 0).release().perform();
        browser.await("a second read for the zoomed range", d -> "2".equals(browser.script("return document.querySelector(arguments[0]).dataset.loads", card)));
        String range = (String) browser.script("return document.querySelector(arguments[0]).dataset.stepRange", card);
        assertThat(range).as("the step range read after zooming").matches("\\d+-\\d+").isNotEqualTo("0-" + (SmallSweep.STEPS - 1));
    }

    private String canvas(String chart) {
        return (String) browser.script("return document.querySelector(arguments[0] + ' canvas').toDataURL()", chart);
    }

    @Test
    void theImagesTabShowsAFixtureImageAtItsPixelSize() throws IOException {
        Path file = Fixtures.file("generated/tensorboardx/runs/tbx_demo/events.out.tfevents.1795729075.vm");
        JsonNode images = JSON.readTree(Fixtures.golden(file).toFile()).get("tags").get("viz/heatmap").get("images");
        JsonNode last = images.get(images.size() - 1);
        long experiment = fixturesExperiment();
        long run = runId(experiment, runOf(file));

        browser.open(page(experiment, "images", "runs=" + run + "&tags=" + encode("^viz/heatmap$")));
        String image = "img[data-tag=\"viz/heatmap\"]";
        browser.await("the heatmap image to load", d -> Boolean.TRUE.equals(browser.script(
                "const i = document.querySelector(arguments[0]); return !!i && i.complete && i.naturalWidth > 0", image)));
        assertThat(browser.script("return document.querySelector(arguments[0]).dataset.step", image)).isEqualTo(last.get("step").asText());
        assertThat(((Number) browser.script("return document.querySelector(arguments[0]).naturalWidth", image)).intValue())
                .isEqualTo(last.get("width").asInt());
        assertThat(((Number) browser.script("return document.querySelector(arguments[0]).naturalHeight", image)).intValue())
                .isEqualTo(last.get("height").asInt());
        browser.screenshot("images");
    }

    @Test
    void theHparamsViewListsTheFixturesHparams() throws IOException {
        Set<String> expected = new TreeSet<>();
        for (Path file : Fixtures.eventFiles()) {
            JsonNode values = JSON.readTree(Fixtures.golden(file).toFile()).path("hparams_summary").path("hparam_values");
            values.fieldNames().forEachRemaining(expected::add);
        }
        assertThat(expected).isNotEmpty();
        long experiment = fixturesExperiment();
        browser.open(page(experiment, "hparams", ""));
        browser.awaitElement("table.hparams-table th[data-column^='hparams.']");
        Set<String> shown = new TreeSet<>();
        for (WebElement th : browser.all("table.hparams-table th[data-column^='hparams.']")) {
            shown.add(th.getDomAttribute("data-column").substring("hparams.".length()));
        }
        assertThat(shown).containsAll(expected);
        browser.await("the parallel coordinates chart", d -> "true".equals(browser.script(
                "return document.querySelector('.echart.parallel')?.dataset.ready")));
        browser.screenshot("hparams");
    }

    @Test
    void aFilterQueryNarrowsTheTableAndABadOneShowsTheServersError() {
        long experiment = suite.experimentId(UploadedSuite.EXPERIMENT);
        browser.open(page(experiment, "scalars", ""));
        browser.await("three runs", d -> "3".equals(browser.script("return document.querySelector('.runs-table')?.dataset.total")));

        WebElement filter = browser.awaitElement("input.run-filter");
        filter.sendKeys("hparams.optimizer = \"sgd\"", Keys.ENTER);
        browser.await("the filtered table", d -> "2".equals(browser.script("return document.querySelector('.runs-table').dataset.total")));
        Set<String> paths = new TreeSet<>();
        for (WebElement row : browser.all(".runs-row[data-run-path]")) {
            paths.add(row.getDomAttribute("data-run-path"));
        }
        assertThat(paths).containsExactly("diverged", "sweep/eval");
        assertThat(browser.driver().getCurrentUrl()).contains("filter=");
        browser.screenshot("runs-filtered");

        filter.clear();
        filter.sendKeys("hparams.lr <", Keys.ENTER);
        WebElement error = browser.await("the filter error", d -> d.findElements(By.cssSelector("#filter-error")).stream()
                .filter(e -> !e.getText().isBlank()).findFirst().orElse(null));
        assertThat(error.getText()).contains("expected a value").contains("column 13");
        assertThat(filter.getDomAttribute("aria-invalid")).isEqualTo("true");
    }

    @Test
    void htmlInATextSummaryIsShownAsTextAndNeverRun() throws IOException {
        Path file = Fixtures.file("generated/tensorboardx/runs/tbx_demo/events.out.tfevents.1795729075.vm");
        JsonNode text = JSON.readTree(Fixtures.golden(file).toFile()).get("tags").get("log/text_summary").get("text");
        String withScript = null;
        for (JsonNode point : text) {
            for (JsonNode value : point.get("values")) {
                if (value.asText().contains("<script>")) {
                    withScript = value.asText();
                }
            }
        }
        assertThat(withScript).as("the fixture's text summary with a script tag").isNotNull();
        long experiment = fixturesExperiment();
        long run = runId(experiment, runOf(file));

        browser.open(page(experiment, "text", "runs=" + run + "&tags=" + encode("^log/text_summary$")));
        browser.script("window.__athanorXss = 0; window.alert = () => { window.__athanorXss++; };");
        WebElement card = browser.await("the text card", d -> d.findElements(By.cssSelector(".text-card[data-loaded='true']"))
                .stream().findFirst().orElse(null));
        String script = withScript.substring(withScript.indexOf("<script>"), withScript.indexOf("</script>") + "</script>".length());
        assertThat(card.getText()).contains(script);
        assertThat(browser.all(".view-text script")).isEmpty();
        assertThat(browser.script("return window.__athanorXss")).isEqualTo(0L);
        browser.screenshot("text");
    }

    @Test
    void htmlInATagNameOrRunPathIsShownAsText() throws IOException, InterruptedException {
        String tag = "<img src=x onerror=\"window.__athanorXss=1\">loss";
        String runName = "<em onmouseover=x>run";
        Path logdir = java.nio.file.Files.createTempDirectory(suite.home(), "web-xss-");
        try (EventFileWriter writer = EventFileWriter.create(logdir.resolve(runName))) {
            for (int step = 0; step < 3; step++) {
                writer.write(Event.newBuilder().setWallTime(1_790_000_000 + step).setStep(step).setSummary(Summary.newBuilder()
                        .addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue(step))).build());
            }
        }
        suite.upload(logdir, "web-xss");
        long experiment = awaitExperimentWithScalarTag("web-xss", tag);

        browser.open(page(experiment, "scalars", ""));
        String title = ".scalar-card .card-title";
        WebElement heading = browser.awaitElement(title);
        assertThat(heading.getText()).isEqualTo(tag);
        assertThat(browser.all(".scalar-card .card-title img")).isEmpty();
        assertThat(browser.awaitElement(".runs-row[data-run-id] .cell-name .run-title").getText()).isEqualTo(runName);
        assertThat(browser.all(".runs-row em")).isEmpty();
        browser.await("the chart", d -> "true".equals(browser.script("return document.querySelector('.scalar-card')?.dataset.loaded")));
        assertThat(browser.script("return window.__athanorXss === undefined")).isEqualTo(true);
    }

    @Test
    void everyTabRendersTheFixturesWithoutScriptErrors() {
        long experiment = fixturesExperiment();
        browser.open(page(experiment, "scalars", ""));
        browser.scriptErrors();
        for (String tab : List.of("scalars", "histograms", "distributions", "images", "audio", "text", "pr-curves", "hparams", "graphs", "profiles")) {
            browser.open(page(experiment, tab, ""));
            browser.await("the " + tab + " view", d -> Boolean.TRUE.equals(browser.script("""
                    const view = document.querySelector('.view-host .view');
                    return !!view && !!view.querySelector('[data-loaded="true"], .notice:not(.notice-info), .graph-canvas svg, table.hparams-table');""")));
            assertThat(browser.all(".view-host .notice-error")).as(tab + " shows no error").isEmpty();
            assertThat(browser.driver().findElement(By.cssSelector(".tab.active")).getDomAttribute("data-tab")).isEqualTo(tab);
            browser.screenshot("tab-" + tab);
        }
        assertThat(browser.scriptErrors()).as("script errors in the console").isEmpty();
    }

    @Test
    void aChartGrowsWithoutAReloadWhileItsRunTrains() throws IOException, InterruptedException {
        Path logdir = java.nio.file.Files.createTempDirectory(suite.home(), "web-live-");
        writeLivePoints(logdir, 0, 5);
        suite.upload(logdir, "web-live");
        long experiment = awaitExperimentWithScalarTag("web-live", "live_loss");
        browser.open(page(experiment, "scalars", "tags=" + encode("^live_loss$")));
        String status = ".scalar-card[data-tag=\"live_loss\"] .card-status";
        browser.await("5 points", d -> String.valueOf(browser.script("return document.querySelector(arguments[0])?.textContent", status)).contains("5 points"));
        assertThat(browser.awaitElement(".live-badge").isDisplayed()).as("the live marker of a running run").isTrue();
        browser.script("window.__athanorSamePage = true");

        writeLivePoints(logdir, 5, 10);
        suite.upload(logdir, "web-live");
        browser.await("the chart to show 10 points", d -> String.valueOf(browser.script(
                "return document.querySelector(arguments[0])?.textContent", status)).contains("10 points"));
        assertThat(browser.script("return window.__athanorSamePage === true")).as("no reload").isEqualTo(true);
    }

    /** A new event file in run "live" with steps [from, to) of live_loss (as a trainer appends). */
    private static void writeLivePoints(Path logdir, int from, int to) throws IOException {
        try (EventFileWriter writer = EventFileWriter.create(logdir.resolve("live"))) {
            for (int step = from; step < to; step++) {
                writer.write(Event.newBuilder().setWallTime(1_790_000_000 + step).setStep(step).setSummary(Summary.newBuilder()
                        .addValue(Summary.Value.newBuilder().setTag("live_loss").setSimpleValue(1f / (step + 1)))).build());
            }
        }
    }

    @Test
    void runsAreSelectedFromTheKeyboardAndTheSelectionIsInTheUrl() {
        long experiment = suite.experimentId(UploadedSuite.EXPERIMENT);
        browser.open(page(experiment, "scalars", "runs="));
        browser.await("three runs", d -> "3".equals(browser.script("return document.querySelector('.runs-table')?.dataset.total")));
        assertThat(browser.all(".runs-row.selected")).as("runs= selects nothing").isEmpty();
        WebElement viewport = browser.awaitElement(".runs-viewport");
        browser.script("arguments[0].focus()", viewport);
        viewport.sendKeys(Keys.HOME, Keys.SPACE, Keys.ARROW_DOWN, Keys.SPACE);
        browser.await("two selected rows", d -> d.findElements(By.cssSelector(".runs-row.selected")).size() == 2);
        String first = browser.all(".runs-row[data-run-id]").get(0).getDomAttribute("data-run-id");
        String second = browser.all(".runs-row[data-run-id]").get(1).getDomAttribute("data-run-id");
        assertThat(browser.driver().getCurrentUrl()).contains("runs=" + first + "%2C" + second);
        browser.await("their charts", d -> "2".equals(browser.script(
                "return document.querySelector('.scalar-card[data-tag=\"val_accuracy\"] .scalar-chart')?.dataset.series")));
    }

    private long awaitExperimentWithScalarTag(String name, String tag) throws InterruptedException {
        for (int attempt = 0; attempt < 240; attempt++) {
            JsonNode found = suite.get("/api/v1/experiments?name=" + encode(name)).get("items");
            if (!found.isEmpty()) {
                long id = found.get(0).get("id").asLong();
                if (suite.get("/api/v1/experiments/" + id + "/tags").path("scalars").has(tag)) {
                    return id;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("experiment " + name + " with scalar tag " + tag + " was not indexed within 60 s");
    }

    private long runId(long experiment, String path) {
        for (JsonNode run : suite.get("/api/v1/runs?experiment=" + experiment + "&limit=1000").get("items")) {
            if (run.get("path").asText().equals(path)) {
                return run.get("id").asLong();
            }
        }
        throw new AssertionError("run " + path + " not in experiment " + experiment);
    }

    /** Scalar tag → the fixture runs that logged it, from the golden JSON. */
    private static Map<String, Set<String>> scalarTagsByRun() throws IOException {
        Map<String, Set<String>> runsByTag = new TreeMap<>();
        for (Path file : Fixtures.eventFiles()) {
            JsonNode tags = JSON.readTree(Fixtures.golden(file).toFile()).get("tags");
            for (Iterator<Map.Entry<String, JsonNode>> it = tags.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> tag = it.next();
                if ("scalars".equals(tag.getValue().path("plugin").asText()) && tag.getValue().path("scalars").size() > 0) {
                    runsByTag.computeIfAbsent(tag.getKey(), k -> new TreeSet<>()).add(runOf(file));
                }
            }
        }
        return runsByTag;
    }

    static String runOf(Path file) {
        String relative = Fixtures.relativeName(file);
        int slash = relative.lastIndexOf('/');
        return slash < 0 ? "." : relative.substring(0, slash);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
