package dev.athanor.systemtests.webui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.tfevents.event.EventFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17 in a real headless Chromium against the real suite: a run is moved to the trash from
 * its page after a confirmation that says what happens, disappears from the runs table, is listed
 * in the Trash on the start page and comes back from there with Restore.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(UploadedSuiteExtension.class)
class WebUiTrashTest {

    private static final String EXPERIMENT = "web-trash";

    private HeadlessChromium browser;
    private UploadedSuite suite;
    private long experiment;

    @BeforeAll
    void start(UploadedSuite uploaded) throws IOException, InterruptedException {
        browser = HeadlessChromium.startOrSkip();
        suite = uploaded;
        Path logdir = Files.createTempDirectory(suite.home(), "web-trash-");
        writeRun(logdir.resolve("keep"));
        writeRun(logdir.resolve("doomed"));
        suite.upload(logdir, EXPERIMENT);
        experiment = awaitIndexed();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aRunDeletedFromItsPageIsInTheTrashAndComesBackWithRestore() {
        browser.open(suite.server() + "/#/e/" + experiment + "/scalars?runs=");
        // Clicked by script: the virtualised table may render its rows again between a lookup and a click.
        String open = ".runs-row[data-run-path='doomed'] .run-open";
        browser.awaitElement(open);
        browser.script("document.querySelector(arguments[0]).click()", open);
        browser.await("the run page", d -> "true".equals(browser.script(
                "return document.querySelector('.run-page')?.dataset.loaded")));
        long runId = Long.parseLong(browser.awaitElement(".run-page").getDomAttribute("data-run-id"));

        browser.awaitElement("button.run-delete").click();
        String said = browser.awaitElement(".run-delete-dialog .confirm-message").getText();
        assertThat(said).contains("doomed").contains("hidden from every list").contains("restored from the Trash");
        browser.awaitElement("button.run-delete-confirm").click();
        browser.await("back to the views", d -> browser.script("return document.querySelector('.run-page')") == null
                && !browser.driver().getCurrentUrl().contains("run="));
        assertThat(paths()).containsExactly("keep");
        browser.await("the table without the run", d -> "1".equals(browser.script(
                "return document.querySelector('.runs-table')?.dataset.total")));

        browser.open(suite.server() + "/");
        browser.awaitElement("details.trash > summary").click();
        String row = ".trash-table tr[data-kind='run'][data-id='" + runId + "']";
        assertThat(browser.awaitElement(row + " .trash-name").getText()).contains("doomed").contains(EXPERIMENT);
        browser.screenshot("trash");
        browser.awaitElement(row + " button.trash-restore").click();
        browser.await("the row gone from the trash", d -> browser.all(row).isEmpty());
        assertThat(paths()).containsExactly("doomed", "keep");
        assertThat(suite.get("/api/v1/runs/" + runId).path("path").asText()).isEqualTo("doomed");
    }

    private List<String> paths() {
        List<String> out = new ArrayList<>();
        suite.get("/api/v1/runs?experiment=" + experiment).get("items").forEach(r -> out.add(r.get("path").asText()));
        return out;
    }

    private long awaitIndexed() throws InterruptedException {
        for (int attempt = 0; attempt < 480; attempt++) {
            JsonNode found = suite.get("/api/v1/experiments?name=" + EXPERIMENT).get("items");
            if (!found.isEmpty()) {
                long id = found.get(0).get("id").asLong();
                if (suite.get("/api/v1/runs?experiment=" + id).get("items").size() == 2) {
                    return id;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the uploaded experiment " + EXPERIMENT + " was not indexed in time");
    }

    private static void writeRun(Path dir) throws IOException {
        try (EventFileWriter writer = EventFileWriter.create(dir)) {
            for (int step = 0; step < 5; step++) {
                writer.write(Event.newBuilder().setWallTime(1_790_000_000.0 + step).setStep(step)
                        .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag("loss")
                                .setSimpleValue(1f / (step + 1)))).build());
            }
        }
    }
}
