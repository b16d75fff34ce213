package dev.athanor.systemtests.webui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.tfevents.event.EventFileWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;

/**
 * The alerts page in a real headless Chromium against the real suite, as a project admin uses it:
 * a rule made with the page's form fires for a run that logs a NaN loss (shown under "Firing now"
 * with a link to the chart at the step, and delivered to a webhook receiver on loopback); it is
 * changed in place, a refused condition shows the server's message, a test notification says
 * whether the webhook took it (and lands in the history), and the rule is deleted after a
 * confirmation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(UploadedSuiteExtension.class)
class WebUiAlertsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPERIMENT = "web-alerts";
    private static final String RULE = "nan watch (web)";

    private HeadlessChromium browser;
    private UploadedSuite suite;
    private Path logdir;
    private HttpServer receiver;
    private final List<JsonNode> received = new ArrayList<>();
    private final AtomicInteger answer = new AtomicInteger(200);

    @BeforeAll
    void start(UploadedSuite uploaded) throws IOException, InterruptedException {
        browser = HeadlessChromium.startOrSkip();
        suite = uploaded;
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (received) {
                received.add(JSON.readTree(body));
            }
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        receiver.start();
        // A rule names an existing experiment: the first run makes it.
        logdir = Files.createTempDirectory(suite.home(), "web-alerts-");
        writeRun(logdir.resolve("warmup"), -1);
        suite.upload(logdir, EXPERIMENT);
        suite.awaitRuns(EXPERIMENT, "metrics.loss@count = 5", 1);
    }

    @AfterAll
    void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void anAdminMakesChangesTestsAndDeletesARuleThatFiresOnTheRunItWatches() throws Exception {
        browser.open(suite.server() + "/#/alerts/default");
        browser.await("the rules loaded", d -> "true".equals(browser.script("return document.querySelector('.alerts [data-loaded]')?.dataset.loaded")));

        // Create with the form.
        browser.awaitElement("button.new-alert-rule").click();
        type(".alert-rule-form .rule-name", RULE);
        type(".alert-rule-form .rule-condition", "no nan in metrics.loss");
        type(".alert-rule-form .rule-experiment", EXPERIMENT);
        type(".alert-rule-form .rule-url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        browser.awaitElement(".alert-rule-form .rule-save").click();
        String row = browser.await("the new rule's row", d -> (String) browser.script(
                "const r = [...document.querySelectorAll('.alert-rules tr[data-rule-id]')]"
                        + ".find(tr => tr.querySelector('.rule-name')?.textContent === arguments[0]);"
                        + "return r ? `.alert-rules tr[data-rule-id='${r.dataset.ruleId}']` : null", RULE));
        long ruleId = Long.parseLong(row.replaceAll("\\D", ""));
        assertThat(browser.all(".alert-rule-form")).as("the form closes once saved").isEmpty();
        JsonNode stored = suite.get("/api/v1/projects/default/alert-rules/" + ruleId);
        assertThat(stored.path("condition").asText()).isEqualTo("no nan in metrics.loss");
        assertThat(stored.path("experiment").asText()).isEqualTo(EXPERIMENT);

        // A run that logs a NaN loss: the rule fires, the page lists it with a link to the chart at the step.
        writeRun(logdir.resolve("diverged"), 3);
        suite.upload(logdir, EXPERIMENT);
        browser.await("the firing notification", d -> firings().size() == 1, Duration.ofSeconds(90));
        assertThat(firings().get(0).path("run").path("path").asText()).isEqualTo("diverged");
        JsonNode firing = browser.await("the rule firing for the run", d -> {
            JsonNode now = suite.get("/api/v1/projects/default/alert-rules/" + ruleId).path("firing");
            return now.isEmpty() ? null : now;
        });
        assertThat(firing).as("firing").hasSize(1);
        browser.script("location.reload()");
        WebElement step = browser.await("the firing row", d -> d.findElements(org.openqa.selenium.By.cssSelector(
                ".alerts-firing tr a.chart-at-step")).stream().filter(a -> a.getText().equals("step 3")).findFirst().orElse(null));
        assertThat(step.getDomAttribute("href")).contains("/e/").contains("step=3");

        // Change the condition in place; a condition the parser refuses shows the server's message.
        browser.awaitElement(row + " button.rule-edit").click();
        assertThat(browser.awaitElement(".alert-rule-form .rule-condition").getDomProperty("value")).isEqualTo("no nan in metrics.loss");
        type(".alert-rule-form .rule-condition", "metrics.loss@last >");
        browser.awaitElement(".alert-rule-form .rule-save").click();
        String refusal = browser.await("the refusal", d -> {
            String text = browser.awaitElement(".alert-rule-form .rule-save-error").getText();
            return text.isEmpty() ? null : text;
        });
        assertThat(refusal).contains("condition");
        type(".alert-rule-form .rule-condition", "metrics.loss@last > 1000");
        browser.awaitElement(".alert-rule-form .rule-save").click();
        browser.await("the changed condition", d -> browser.all(".alert-rule-form").isEmpty()
                && browser.all(row + " .rule-condition").stream().anyMatch(c -> c.getText().equals("metrics.loss@last > 1000")));
        assertThat(suite.get("/api/v1/projects/default/alert-rules/" + ruleId).path("experiment").asText())
                .as("what the form did not change stays").isEqualTo(EXPERIMENT);

        // A test notification: taken, then turned away; both in the history.
        browser.awaitElement(row + " button.rule-test").click();
        assertThat(awaitTestStatus(row)).isEqualTo("test delivered (HTTP 200)");
        answer.set(503);
        try {
            browser.awaitElement(row + " button.rule-test").click();
            browser.await("the second test's answer", d -> browser.awaitElement(row + " .rule-test-status").getText().contains("503"));
            assertThat(browser.awaitElement(row + " .rule-test-status").getText()).startsWith("test not delivered (").contains("HTTP 503");
        } finally {
            answer.set(200);
        }
        browser.await("both tests in the history", d -> browser.all(".alert-history tr[data-event-id]").stream()
                .filter(tr -> tr.getText().contains("test")).count() == 2);
        List<String> tests = browser.all(".alert-history tr[data-event-id]").stream().map(WebElement::getText)
                .filter(text -> text.contains("test")).toList();
        assertThat(tests.get(0)).as("newest first").contains("HTTP 503");
        assertThat(tests.get(1)).contains("delivered").contains("HTTP 200");
        browser.screenshot("alerts");

        // Delete after a confirmation naming the rule.
        browser.awaitElement(row + " button.rule-delete").click();
        assertThat(browser.awaitElement(row + " .rule-delete-dialog .confirm-message").getText()).contains(RULE).contains("history");
        browser.awaitElement(row + " button.rule-delete-confirm").click();
        browser.await("the row gone", d -> browser.all(row).isEmpty());
        List<String> names = new ArrayList<>();
        suite.get("/api/v1/projects/default/alert-rules").forEach(r -> names.add(r.path("name").asText()));
        assertThat(names).doesNotContain(RULE);
        assertThat(browser.scriptErrors()).isEmpty();
    }

    private String awaitTestStatus(String row) {
        return browser.await("the test's answer", d -> {
            String text = browser.awaitElement(row + " .rule-test-status").getText();
            return text.startsWith("test ") ? text : null;
        });
    }

    private void type(String css, String text) {
        WebElement input = browser.awaitElement(css);
        input.clear();
        input.sendKeys(text);
    }

    private List<JsonNode> firings() {
        synchronized (received) {
            return received.stream().filter(n -> n.path("kind").asText().equals("firing")).toList();
        }
    }

    /** Five loss points, NaN at {@code nanStep} (none when negative). */
    private static void writeRun(Path dir, int nanStep) throws IOException {
        try (EventFileWriter writer = EventFileWriter.create(dir)) {
            for (int step = 0; step < 5; step++) {
                writer.write(Event.newBuilder().setWallTime(System.currentTimeMillis() / 1000.0).setStep(step)
                        .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag("loss")
                                .setSimpleValue(step == nanStep ? Float.NaN : 1f / (step + 1)))).build());
            }
        }
    }
}
