package dev.athanor.systemtests.webui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17's curation in a real headless Chromium against the real suite: run metadata edited in
 * the runs table (a label and a note persist across a reload and filter the table; the star pins),
 * an experiment renamed, a run moved to another experiment, an experiment moved to the trash and
 * restored from the start page's Trash.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(UploadedSuiteExtension.class)
class WebUiCurateTest {

    /** Every rendered row of the runs table in one call (the virtualised table re-renders between calls). */
    private static final String ROWS = """
            return [...document.querySelectorAll('.runs-rows .runs-row')].map((r) => ({
              path: r.dataset.runPath,
              title: r.querySelector('.run-title').textContent,
              labels: [...r.querySelectorAll('.chip')].map((c) => c.textContent).join(','),
              pinned: r.querySelector('.pin-toggle')?.getAttribute('aria-pressed') ?? 'none'}));""";

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

    @Test
    void aLabelAndANoteEditedInTheTablePersistAcrossAReloadAndFilterIt() throws Exception {
        long experiment = upload("web-inline", "alpha", "beta");
        String page = suite.server() + "/#/e/" + experiment + "/scalars?runs=";
        browser.open(page);
        browser.awaitElement(".runs-table[data-writable='true'] .runs-row[data-run-path='alpha'] .run-edit");
        browser.script("document.querySelector(\".runs-row[data-run-path='alpha'] .run-edit\").click()");
        browser.awaitElement(".run-editor:not([hidden]) .run-metadata-form");
        long alpha = Long.parseLong((String) browser.script("return document.querySelector('.run-editor').dataset.runId"));
        browser.script("""
                const form = document.querySelector('.run-editor form');
                form.querySelector('.run-display-name').value = 'Alpha baseline';
                form.querySelector('.run-labels-input').value = 'baseline, lr-sweep';
                form.querySelector('.run-note-input').value = 'lr warmup for 500 steps';
                form.querySelector('.run-save').click();""");
        browser.await("the editor closed and the row showing the label", d -> Boolean.TRUE.equals(browser.script(
                "return document.querySelector('.run-editor').hidden && [...document.querySelectorAll("
                        + "\".runs-row[data-run-path='alpha'] .chip\")].some((c) => c.textContent === 'baseline')")));
        // The star pins beta without opening anything.
        browser.script("document.querySelector(\".runs-row[data-run-path='beta'] .pin-toggle\").click()");
        browser.await("beta pinned", d -> suite.get("/api/v1/runs/" + rowId("beta", experiment)).path("pinned")
                .asBoolean());

        browser.driver().navigate().refresh();
        browser.awaitElement(".runs-table[data-writable='true'] .runs-row[data-run-path='beta'] .pin-toggle[aria-pressed='true']");
        List<Map<String, Object>> rows = rows();
        assertThat(rows).extracting(r -> r.get("path")).containsExactlyInAnyOrder("alpha", "beta");
        Map<String, Object> alphaRow = rows.stream().filter(r -> r.get("path").equals("alpha")).findFirst().orElseThrow();
        assertThat(alphaRow).containsEntry("title", "Alpha baseline").containsEntry("labels", "baseline,lr-sweep")
                .containsEntry("pinned", "false");
        JsonNode saved = suite.get("/api/v1/runs/" + alpha);
        assertThat(saved.path("note").asText()).isEqualTo("lr warmup for 500 steps");
        assertThat(saved.path("displayName").asText()).isEqualTo("Alpha baseline");

        browser.script("const input = document.querySelector('.run-filter'); input.value = arguments[0];"
                + "input.form.requestSubmit()", "label = 'baseline'");
        browser.await("the table filtered by the label", d -> "1".equals(browser.script(
                "return document.querySelector('.runs-table')?.dataset.total")));
        assertThat(rows()).extracting(r -> r.get("path")).containsExactly("alpha");
        browser.open(suite.server() + "/#/e/" + experiment + "/scalars?runs=&filter="
                + URLEncoder.encode("note ~ 'warmup'", StandardCharsets.UTF_8));
        browser.await("the table filtered by the note", d -> "1".equals(browser.script(
                "return document.querySelector('.runs-table')?.dataset.total")) && rows().size() == 1
                && rows().get(0).get("path").equals("alpha"));
        browser.screenshot("runs-table-inline-edit");
    }

    @Test
    void anExperimentIsRenamedARunMovedAndTheExperimentTrashedAndRestored() throws Exception {
        long source = upload("web-curate-a", "mover", "stay");
        long target = upload("web-curate-b", "other");

        // Rename from the experiment's page.
        browser.open(suite.server() + "/#/e/" + source + "/scalars?runs=");
        browser.awaitElement("button.rename-experiment").click();
        browser.script("document.querySelector('.rename-input').value = 'web-curate-renamed';"
                + "document.querySelector('button.save-rename').click()");
        browser.await("the title renamed", d -> "web-curate-renamed".equals(browser.script(
                "return document.querySelector('.experiment-title').textContent")));
        assertThat(suite.experimentId("web-curate-renamed")).isEqualTo(source);

        // Move a run from its page to the other experiment.
        long mover = rowId("mover", source);
        browser.open(suite.server() + "/#/e/" + source + "/scalars?runs=&run=" + mover);
        browser.awaitElement(".run-move-target option[value='" + target + "']");
        browser.script("const s = document.querySelector('.run-move-target'); s.value = arguments[0];"
                + "document.querySelector('button.run-move').click()", Long.toString(target));
        browser.await("back to the views without the run", d -> !browser.driver().getCurrentUrl().contains("run=")
                && "1".equals(browser.script("return document.querySelector('.runs-table')?.dataset.total")));
        assertThat(suite.get("/api/v1/runs/" + mover).path("experimentId").asLong()).isEqualTo(target);
        assertThat(paths(target)).containsExactly("mover", "other");

        // Trash the experiment after a confirmation that names it, then restore it from the Trash.
        browser.awaitElement("button.experiment-delete").click();
        // The confirmation counts the experiment's runs when it opens (one left after the move).
        browser.await("the confirmation's message", d -> browser.awaitElement(".experiment-delete-dialog .confirm-message")
                .getText().contains("will be hidden"));
        assertThat(browser.awaitElement(".experiment-delete-dialog .confirm-message").getText())
                .contains("web-curate-renamed").contains("and its 1 run will be hidden").contains("restored from the Trash");
        browser.awaitElement("button.experiment-delete-confirm").click();
        browser.await("the start page", d -> browser.driver().getCurrentUrl().endsWith("#/"));
        assertThat(suite.get("/api/v1/experiments?name=web-curate-renamed").get("items")).isEmpty();
        browser.awaitElement("details.trash > summary").click();
        String row = ".trash-table tr[data-kind='experiment'][data-id='" + source + "']";
        assertThat(browser.awaitElement(row + " .trash-name").getText()).contains("web-curate-renamed");
        browser.awaitElement(row + " button.trash-restore").click();
        browser.await("the row gone from the trash", d -> browser.all(row).isEmpty());
        assertThat(suite.experimentId("web-curate-renamed")).isEqualTo(source);
        assertThat(paths(source)).containsExactly("stay");
        browser.await("the experiment listed again", d -> !browser.all(
                ".experiment-list a[data-experiment-id='" + source + "']").isEmpty());
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> rows() {
        return (List<Map<String, Object>>) browser.script(ROWS);
    }

    private long rowId(String path, long experiment) {
        for (JsonNode run : suite.get("/api/v1/runs?experiment=" + experiment).get("items")) {
            if (run.get("path").asText().equals(path)) {
                return run.get("id").asLong();
            }
        }
        throw new AssertionError("no run " + path + " in experiment " + experiment);
    }

    private List<String> paths(long experiment) {
        List<String> out = new ArrayList<>();
        suite.get("/api/v1/runs?experiment=" + experiment + "&sort=name").get("items")
                .forEach(r -> out.add(r.get("path").asText()));
        return out;
    }

    /** Finished runs (moves and renames are refused while a run is RUNNING); answers the experiment's id. */
    private long upload(String experiment, String... runs) throws IOException, InterruptedException {
        Path logdir = Files.createTempDirectory(suite.home(), experiment + "-");
        for (String run : runs) {
            try (EventFileWriter writer = EventFileWriter.create(logdir.resolve(run))) {
                for (int step = 0; step < 5; step++) {
                    writer.write(Event.newBuilder().setWallTime(1_790_000_000.0 + step).setStep(step)
                            .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag("loss")
                                    .setSimpleValue(1f / (step + 1)))).build());
                }
            }
        }
        UploadResult result = Uploader.run(UploadOptions.builder(logdir, experiment, suite.grpcEndpoint())
                .once(true).finishRuns(true).progress(UploadOptions.ProgressMode.QUIET).build());
        assertThat(result.succeeded()).as(result.message()).isTrue();
        return suite.awaitRuns(experiment, "status = 'finished'", runs.length);
    }
}
