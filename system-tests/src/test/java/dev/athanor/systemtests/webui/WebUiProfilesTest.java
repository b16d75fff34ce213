package dev.athanor.systemtests.webui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.cli.testing.ProfilerOutput;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import dev.athanor.profile.BigTrace;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.tfevents.event.EventFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The Profiles tab in a real headless Chromium against the real suite, over traces written by the
 * real frameworks (the profile module's test resources: torch.profiler and Keras profile_batch)
 * uploaded by the real uploader. Expected values come from what the frameworks said about those
 * files (expected.json: key_averages(), TensorFlow's own reading), not from the API the page reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(UploadedSuiteExtension.class)
class WebUiProfilesTest {

    private static final String EXPERIMENT = "web-profiles";
    private static final Path TRACES = UploadedSuite.repoRoot().resolve("profile/src/test/resources/profiles");

    private HeadlessChromium browser;
    private UploadedSuite suite;
    private long experiment;
    private int bigSteps;
    private static final String BIG_SESSION = "1796554000000000000";

    @BeforeAll
    void start(UploadedSuite uploaded) throws IOException, InterruptedException {
        browser = HeadlessChromium.startOrSkip();
        suite = uploaded;
        Path logdir = Files.createTempDirectory(suite.home(), "web-profiles-");
        run(logdir.resolve("torch"), "plugins/profile/2026_12_06_10_45_22/vm.pt.trace.json.gz", "torch/vm.pt.trace.json.gz");
        run(logdir.resolve("keras"), "plugins/profile/2026_12_06_10_46_17/vm.xplane.pb", "tf/vm.xplane.pb");
        // a big trace right in its run directory, as tensorboard_trace_handler writes it (no event file)
        Files.createDirectories(logdir.resolve("big"));
        bigSteps = BigTrace.write(logdir.resolve("big").resolve("vm_1." + BIG_SESSION + ".pt.trace.json"), 64L << 20);
        suite.upload(logdir, EXPERIMENT);
        experiment = awaitSessions();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    private static void run(Path dir, String asset, String trace) throws IOException {
        try (EventFileWriter writer = EventFileWriter.create(dir)) {
            writer.write(Event.newBuilder().setWallTime(1_796_553_900).setStep(0).setSummary(Summary.newBuilder()
                    .addValue(Summary.Value.newBuilder().setTag("loss").setSimpleValue(1f))).build());
        }
        Path target = dir.resolve(asset);
        Files.createDirectories(target.getParent());
        Files.copy(TRACES.resolve(trace), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private long awaitSessions() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            JsonNode experiments = suite.get("/api/v1/experiments?name=" + EXPERIMENT).get("items");
            if (!experiments.isEmpty()) {
                long id = experiments.get(0).get("id").asLong();
                JsonNode runs = suite.get("/api/v1/runs?experiment=" + id).get("items");
                int withSessions = 0;
                for (JsonNode run : runs) {
                    withSessions += suite.get("/api/v1/runs/" + run.get("id").asLong() + "/profiles").get("items").isEmpty() ? 0 : 1;
                }
                if (withSessions == 3) {
                    return id;
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the three profiled runs were not uploaded within 120 s");
    }

    private void pickSession(String run) {
        browser.await("the session picker", d -> !d.findElements(By.cssSelector(".profile-session-select option")).isEmpty());
        browser.script("""
                const select = document.querySelector('.profile-session-select');
                const option = [...select.options].find((o) => o.textContent.startsWith(arguments[0] + ' ›'));
                select.value = option.value;
                select.dispatchEvent(new Event('change'));""", run);
        browser.await("the report of " + run, d -> String.valueOf(browser.script(
                "return document.querySelector('.profile-report p')?.textContent")).contains(switch (run) {
                    case "torch" -> ".pt.trace.json.gz";
                    case "big" -> ".pt.trace.json";
                    default -> ".xplane.pb";
                }), Duration.ofMinutes(3));
        browser.await("the top ops", d -> "true".equals(browser.script("return document.querySelector('.ops')?.dataset.loaded")));
        browser.await("the timeline", d -> browser.script("return document.querySelector('.timeline-canvas')?.dataset.events") != null);
    }

    @Test
    void theFirstLookAtABigTraceShowsTheIndexingProgressThenTheReport() throws IOException {
        browser.open(suite.server() + "/#/e/" + experiment + "/profiles");
        browser.await("the session picker", d -> !d.findElements(By.cssSelector(".profile-session-select option")).isEmpty());
        browser.script("""
                const select = document.querySelector('.profile-session-select');
                select.value = [...select.options].find((o) => o.textContent.startsWith('big ›')).value;
                select.dispatchEvent(new Event('change'));""");
        browser.await("the indexing progress bar", d -> browser.script(
                "return document.querySelector('.profile-indexing-bar')?.dataset.progress") != null);
        assertThat(String.valueOf(browser.script("return document.querySelector('.profile-indexing').textContent")))
                .contains("indexing vm_1." + BIG_SESSION + ".pt.trace.json").contains("MB read");
        Path shot = browser.screenshot("profiles-indexing");
        Files.copy(shot, UploadedSuite.repoRoot().resolve("docs/web-ui-profiles-indexing.png"), StandardCopyOption.REPLACE_EXISTING);
        String label = String.valueOf(browser.script(
                "return document.querySelector('.profile-session-select').selectedOptions[0].textContent"));
        assertThat(label).as("a PyTorch session: its timestamp and when it was captured")
                .isEqualTo("big › " + BIG_SESSION + " (2026-12-06 10:46:40 UTC)");
        pickSession("big");
        assertThat(browser.awaitElement(".step-chart").getDomAttribute("data-steps")).isEqualTo(String.valueOf(bigSteps));
        assertThat(column(0).getFirst()).as("addmm: 6 of each 10 µs linear").isEqualTo("aten::addmm");
        assertThat(browser.scriptErrors()).as("script errors in the console").isEmpty();
    }

    /** The texts of a column of a table, read in one script (the rows are re-rendered as answers arrive). */
    @SuppressWarnings("unchecked")
    private List<String> column(String table, int index) {
        return (List<String>) browser.script("return [...document.querySelectorAll(arguments[0] + ' tbody tr')]"
                + ".map((r) => r.children[arguments[1]].textContent)", table, index);
    }

    private List<String> column(int index) {
        return column(".ops > .table-scroll .ops-table", index);
    }

    @Test
    void aPytorchTraceShowsItsStepsTopOpsAndTimeline() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(TRACES.resolve("torch/expected.json").toFile());
        String top = ProfilerOutput.topBySelf(expected);
        browser.open(suite.server() + "/#/e/" + experiment + "/profiles");
        browser.scriptErrors();
        pickSession("torch");
        assertThat(browser.awaitElement(".step-chart").getDomAttribute("data-steps"))
                .isEqualTo(expected.get("steps").asText());
        assertThat(browser.all(".step-legend-item")).hasSize(6);
        assertThat(column(0).getFirst()).isEqualTo(top);
        assertThat(column(3).getFirst()).isEqualTo(expected.get("ops").get(top).get("count").asText());
        assertThat(Integer.parseInt(String.valueOf(browser.script(
                "return document.querySelector('.timeline-canvas').dataset.events")))).isPositive();
        browser.screenshot("profiles-torch");

        // search, then sort by count (the most frequent first)
        WebElement search = browser.awaitElement(".ops-controls input[type=search]");
        search.sendKeys("aten::a");
        browser.await("filtered ops", d -> column(0).stream().allMatch(n -> n.toLowerCase().contains("aten::a")));
        browser.awaitElement(".ops-table th[data-sort=count]").click();
        browser.await("sorted by count", d -> {
            List<Long> counts = column(3).stream().map(c -> Long.parseLong(c.replace(",", ""))).toList();
            return counts.size() > 1 && counts.equals(counts.stream().sorted(java.util.Comparator.reverseOrder()).toList());
        });

        // zoom in around the middle: a narrower window is asked for
        String before = String.valueOf(browser.script("return document.querySelector('.timeline-canvas').dataset.window"));
        browser.script("""
                const c = document.querySelector('.timeline-canvas');
                const r = c.getBoundingClientRect();
                for (let i = 0; i < 5; i++) c.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, clientX: r.left + r.width * 0.6,
                  clientY: r.top + 20, bubbles: true, cancelable: true }));""");
        browser.await("a zoomed window", d -> {
            String now = String.valueOf(browser.script("return document.querySelector('.timeline-canvas').dataset.window"));
            return !now.equals(before) && width(now) < width(before) * 0.5;
        });
        browser.script("document.querySelector('.profile-timeline').scrollIntoView()");
        Path shot = browser.screenshot("profiles-torch-timeline");
        Files.copy(shot, UploadedSuite.repoRoot().resolve("docs/web-ui-profiles-timeline.png"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(browser.scriptErrors()).as("script errors in the console").isEmpty();
    }

    private static long width(String window) {
        String[] parts = window.split("-");
        return Long.parseLong(parts[1]) - Long.parseLong(parts[0]);
    }

    @Test
    void aKerasXPlaneShowsItsStepsAndTfOps() throws IOException {
        JsonNode host = new ObjectMapper().readTree(TRACES.resolve("tf/expected.json").toFile()).get("planes").get("/host:CPU");
        browser.open(suite.server() + "/#/e/" + experiment + "/profiles");
        pickSession("keras");
        assertThat(browser.awaitElement(".step-chart").getDomAttribute("data-steps"))
                .isEqualTo(host.get("events").get("Profiled batch").get("count").asText());
        List<String> types = column(1);
        assertThat(types).contains("MatMul");
        for (String name : column(0)) {
            assertThat(host.get("events").has(name)).as(name + " is an event of the XPlane").isTrue();
        }
        browser.screenshot("profiles-keras");

        // compare with the PyTorch run's session: ops of both, each missing on the other side
        browser.script("""
                const select = document.querySelector('.profile-compare-select');
                select.value = [...select.options].find((o) => o.textContent.startsWith('torch ›')).value;
                select.dispatchEvent(new Event('change'));""");
        browser.await("the comparison", d -> Boolean.TRUE.equals(browser.script(
                "return !!document.querySelector('.profile-compare [data-loaded=true]')")));
        List<String> compared = column(".compare-table", 0);
        assertThat(compared).contains("aten::mm").anyMatch(n -> n.endsWith(":MatMul"));
        Path docs = UploadedSuite.repoRoot().resolve("docs/web-ui-profiles.png");
        Files.copy(HeadlessChromium.SCREENSHOTS.resolve("profiles-keras.png"), docs, StandardCopyOption.REPLACE_EXISTING);
        browser.screenshot("profiles-compare");
    }
}
