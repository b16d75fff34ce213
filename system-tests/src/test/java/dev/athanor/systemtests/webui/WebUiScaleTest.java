package dev.athanor.systemtests.webui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.tfevents.event.EventFileWriter;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scale figures, measured in the browser and printed: 100 runs × 10,000 points of
 * one tag drawn in one chart from the width-based request (time from the data's arrival to all
 * series drawn, and the bytes transferred), and a runs
 * table of many runs scrolled from top to bottom with only a window of rows in the DOM.
 * Timings are printed, not asserted (shared 2-core machines); the counts are asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(UploadedSuiteExtension.class)
class WebUiScaleTest {

    private static final int RUNS = 100;
    private static final int POINTS = 10_000;
    private static final int TABLE_RUNS = Integer.getInteger("athanor.webui.tableRuns", 4_000);
    private static final String EXPERIMENT = "web-scale";
    private static final String TABLE_EXPERIMENT = "web-many-runs";

    private HeadlessChromium browser;
    private UploadedSuite suite;

    @BeforeAll
    void start(UploadedSuite uploaded) throws IOException, InterruptedException {
        browser = HeadlessChromium.startOrSkip();
        suite = uploaded;
        Path logdir = Files.createTempDirectory(suite.home(), "web-scale-");
        for (int run = 0; run < RUNS; run++) {
            try (EventFileWriter writer = EventFileWriter.create(logdir.resolve(String.format("run-%03d", run)))) {
                double rate = 0.0002 * (1 + run % 10);
                for (int step = 0; step < POINTS; step++) {
                    float loss = (float) (Math.exp(-rate * step) + 0.02 * Math.sin(step * 0.37 + run));
                    writer.write(Event.newBuilder().setWallTime(1_790_000_000 + step * 0.5).setStep(step)
                            .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag("loss").setSimpleValue(loss)))
                            .build());
                }
            }
        }
        Path many = Files.createTempDirectory(suite.home(), "web-many-");
        for (int run = 0; run < TABLE_RUNS; run++) {
            try (EventFileWriter writer = EventFileWriter.create(many.resolve(String.format("r%05d", run)))) {
                writer.write(Event.newBuilder().setWallTime(1_790_000_000).setStep(0).setSummary(Summary.newBuilder()
                        .addValue(Summary.Value.newBuilder().setTag("acc").setSimpleValue(run / (float) TABLE_RUNS))).build());
            }
        }
        Instant start = Instant.now();
        suite.upload(logdir, EXPERIMENT);
        awaitPoints(EXPERIMENT, RUNS, POINTS);
        System.out.printf("[web-ui scale] uploaded and indexed %d runs x %d points in %.1f s%n", RUNS, POINTS,
                Duration.between(start, Instant.now()).toMillis() / 1000.0);
        start = Instant.now();
        suite.upload(many, TABLE_EXPERIMENT);
        awaitPoints(TABLE_EXPERIMENT, TABLE_RUNS, 1);
        System.out.printf("[web-ui scale] uploaded and indexed %d one-point runs in %.1f s%n", TABLE_RUNS,
                Duration.between(start, Instant.now()).toMillis() / 1000.0);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    /** Waits until the experiment has `runs` runs whose only tag has `points` points. */
    private void awaitPoints(String experiment, int runs, int points) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (Instant.now().isBefore(deadline)) {
            JsonNode found = suite.get("/api/v1/experiments?name=" + URLEncoder.encode(experiment, StandardCharsets.UTF_8)).get("items");
            if (!found.isEmpty()) {
                long id = found.get(0).get("id").asLong();
                String filter = URLEncoder.encode("metrics." + (points == 1 ? "acc" : "loss") + "@count = " + points, StandardCharsets.UTF_8);
                long complete = suite.get("/api/v1/runs?limit=1&experiment=" + id + "&filter=" + filter).get("total").asLong();
                if (complete == runs) {
                    return;
                }
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException(experiment + " was not indexed within 10 minutes");
    }

    @Test
    void aHundredRunsOfTenThousandPointsAreDrawnInOneChart() {
        long experiment = suite.experimentId(EXPERIMENT);
        browser.open(suite.server() + "/#/e/" + experiment + "/scalars?tags=%5Eloss%24");
        String card = ".scalar-card[data-tag=\"loss\"]";
        browser.await("the loss chart", d -> "true".equals(browser.script("return document.querySelector(arguments[0])?.dataset.loaded", card)));
        assertThat(browser.script("return document.querySelector(arguments[0]).dataset.series", card)).isEqualTo(String.valueOf(RUNS));
        String fetchMs = (String) browser.script("return document.querySelector(arguments[0]).dataset.fetchMs", card);
        String drawMs = (String) browser.script("return document.querySelector(arguments[0]).dataset.drawMs", card);
        String status = (String) browser.script("return document.querySelector(arguments[0] + ' .card-status').textContent", card);
        System.out.printf("[web-ui scale] %d runs x %d points of 'loss': fetch %s ms, smoothing + drawing all series %s ms after the data arrived (%s)%n",
                RUNS, POINTS, fetchMs, drawMs, status);
        assertThat(status).contains(String.format("%,d points", RUNS * POINTS)).contains("M4 pixel columns");
        // The chart asked by its width: the bytes of its answer follow the chart, not runs × points.
        String width = (String) browser.script("return document.querySelector(arguments[0]).dataset.width", card);
        String columns = (String) browser.script("return document.querySelector(arguments[0]).dataset.columns", card);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> bytes = (java.util.Map<String, Object>) browser.script("""
                const e = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('/api/v1/scalars')).pop();
                return { wire: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize };""");
        long encoded = ((Number) bytes.get("encoded")).longValue();
        long decoded = ((Number) bytes.get("decoded")).longValue();
        System.out.printf("[web-ui scale] %d runs at width=%s (%s columns per line): %,d bytes transferred (%,d body"
                + " compressed, %,d JSON)%n", RUNS, width, columns, ((Number) bytes.get("wire")).longValue(), encoded, decoded);
        assertThat(Integer.parseInt(width)).isBetween(100, 4000);
        assertThat(Integer.parseInt(columns)).isLessThanOrEqualTo(Integer.parseInt(width));
        assertThat(encoded).as("compressed on the wire").isPositive().isLessThan(decoded / 2);
        assertThat(decoded).as("JSON of a 100-run chart (9.4 MB before width)").isLessThan(1_500_000);
        // Changing the smoothing redraws all series without a fetch.
        Object redraw = browser.script("""
                const slider = document.querySelector('input.smoothing');
                const t0 = performance.now();
                slider.value = '0.95'; slider.dispatchEvent(new Event('input', {bubbles: true}));
                return performance.now() - t0;""");
        System.out.printf("[web-ui scale] re-smoothing and redrawing %d series: %.1f ms%n", RUNS, ((Number) redraw).doubleValue());
        browser.screenshot("scale-100-runs");
    }

    @Test
    void theRunsTableScrollsThousandsOfRunsWithAWindowOfRowsInTheDom() {
        long experiment = suite.experimentId(TABLE_EXPERIMENT);
        browser.open(suite.server() + "/#/e/" + experiment + "/scalars");
        browser.await("the runs table", d -> String.valueOf(TABLE_RUNS).equals(browser.script("return document.querySelector('.runs-table')?.dataset.total")));
        Object result = browser.script("""
                const viewport = document.querySelector('.runs-viewport');
                const table = document.querySelector('.runs-table');
                return new Promise((resolve) => {
                  let frames = 0, maxRows = 0; const t0 = performance.now();
                  const step = () => {
                    maxRows = Math.max(maxRows, document.querySelectorAll('.runs-row[data-run-id]').length);
                    if (viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - 1) {
                      const rows = [...document.querySelectorAll('.runs-row[data-run-path]')];
                      resolve({ ms: performance.now() - t0, frames, maxRows, last: rows[rows.length - 1].dataset.runPath });
                      return;
                    }
                    viewport.scrollTop += viewport.clientHeight; frames++;
                    requestAnimationFrame(step);
                  };
                  step();
                });""");
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> figures = (java.util.Map<String, Object>) result;
        System.out.printf("[web-ui scale] scrolled %d runs top to bottom in %d pages, %.0f ms; at most %s rows in the DOM%n",
                TABLE_RUNS, ((Number) figures.get("frames")).intValue(), ((Number) figures.get("ms")).doubleValue(), figures.get("maxRows"));
        assertThat(figures.get("last")).isEqualTo(String.format("r%05d", TABLE_RUNS - 1));
        assertThat(((Number) figures.get("maxRows")).intValue()).isLessThan(120);
    }
}
