package dev.athanor.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.suite.LocalSuite;
import dev.athanor.cli.testing.Cli;
import dev.athanor.suite.Ports;
import dev.athanor.cli.testing.SmallSweep;
import dev.athanor.systemtests.harness.S3Archive;
import dev.athanor.systemtests.harness.TestSuites;
import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's purge through the real services, as {@code athanor up} runs them: the local suite starts
 * archive-service beside ingest (its tiering loop every second here, an s3proxy bucket as the store).
 * A run is uploaded and archived, trashed, refused a purge under a legal hold, purged with
 * {@code athanor runs purge}, and then nothing of it is left — no index row, no hot file, no bucket
 * object — except the audit rows; an upload to its name starts a new run.
 */
class PurgeEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPERIMENT = "purge-e2e";
    private static final String RUN = "good";
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aPurgedRunLeavesNoIndexRowHotFileOrBucketObjectAndItsNameStartsANewRun() throws Exception {
        S3Archive bucket = S3Archive.bucket("athanor-purge");
        Map<String, String> env = bucket.environment();
        env.put("ATHANOR_ARCHIVE_TIERING_INTERVAL", "1s");
        env.put("ATHANOR_ARCHIVE_TIERING_INITIAL_DELAY", "1s");
        LocalSuite.Settings settings = TestSuites.settings(home, 1).withArchive(Ports.free());
        try (LocalSuite suite = LocalSuite.start(settings, step -> System.out.println("[purge] " + step), env)) {
            String api = suite.restBase();
            Path logdir = home.resolve("logdir");
            SmallSweep.write(logdir);
            upload(suite, logdir);
            long runId = runIds(api).get(RUN);
            String runKeys = "athanor/default/" + EXPERIMENT + "/" + RUN + "/";
            Path hotRun = settings.hotRoot().resolve("default").resolve(EXPERIMENT).resolve(RUN);

            // The suite's own archive-service archives the finished run: segments and profiler files in the bucket.
            // Segments and asset files may go in different passes: wait for both.
            awaitTrue("the run's segments in the bucket", () -> bucket.keys().stream()
                    .anyMatch(k -> k.startsWith(runKeys) && k.contains("/events.out.tfevents.")));
            awaitTrue("the run's profiler files in the bucket", () -> bucket.keys().stream()
                    .anyMatch(k -> k.startsWith(runKeys + "plugins/profile/")));
            assertThat(Files.exists(hotRun)).as("hot files of the run before the purge").isTrue();

            // Trash it; under a legal hold the purge is refused, naming the hold.
            assertThat(send("DELETE", api + "/runs/" + runId, null).statusCode()).isEqualTo(200);
            HttpResponse<String> hold = send("PUT", suite.archiveBase(0) + "/projects/default/archive-policy",
                    "{\"legalHold\": true}");
            assertThat(hold.statusCode()).as(hold.body()).isEqualTo(200);
            HttpResponse<String> refused = send("POST", api + "/runs/" + runId + "/purge", null);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
            assertThat(refused.body()).contains("project 'default' is under legal hold");
            Cli.Outcome refusedCli = Cli.run("runs", "purge", Long.toString(runId), "--server=" + server(suite));
            assertThat(refusedCli.exitCode()).isEqualTo(2);
            assertThat(refusedCli.stderr()).contains("under legal hold");
            assertThat(indexRowsOf(suite, runId)).containsKey("run");

            // Hold cleared: `athanor runs purge` asks, the suite's archive-service carries it out.
            assertThat(send("PUT", suite.archiveBase(0) + "/projects/default/archive-policy", "{\"legalHold\": false}")
                    .statusCode()).isEqualTo(200);
            Cli.Outcome purged = Cli.run("runs", "purge", Long.toString(runId), "--server=" + server(suite));
            assertThat(purged.exitCode()).as(purged.toString()).isZero();
            assertThat(purged.stdout()).contains("purge of run " + runId + " (" + RUN + ") requested");
            awaitTrue("the run's index row gone", () -> !indexRowsOf(suite, runId).containsKey("run"));

            assertThat(indexRowsOf(suite, runId)).as("rows naming the run, by table, after the purge")
                    .containsOnlyKeys("archive_deletion");
            assertThat(bucket.keys()).as("bucket objects of the run").noneMatch(k -> k.startsWith(runKeys));
            assertThat(bucket.keys()).as("the other runs keep theirs")
                    .anyMatch(k -> k.startsWith("athanor/default/" + EXPERIMENT + "/diverged/"));
            assertThat(filesUnder(hotRun)).as("hot files of the run").isEmpty();
            JsonNode deletions = JSON.readTree(send("GET", suite.archiveBase(0)
                    + "/projects/default/archive-deletions?limit=1000", null).body());
            List<String> purgedObjects = new ArrayList<>();
            deletions.forEach(d -> {
                if (d.path("run_id").asLong() == runId) {
                    assertThat(d.path("reason").asText()).isEqualTo("PURGE");
                    purgedObjects.add(d.toString());
                }
            });
            assertThat(purgedObjects).as("an audit row per removed file and object").hasSizeGreaterThanOrEqualTo(5);

            // The name is free again: uploading it starts a new run, not the purged one back.
            awaitTrue("an upload to the purged run's name indexed as a new run", () -> {
                upload(suite, logdir);
                Long again = runIds(api).get(RUN);
                return again != null;
            });
            long newId = runIds(api).get(RUN);
            assertThat(newId).isNotEqualTo(runId);
            assertThat(send("GET", api + "/runs/" + runId, null).statusCode()).isEqualTo(404);
            JsonNode fresh = JSON.readTree(send("GET", api + "/runs/" + newId, null).body());
            assertThat(fresh.path("trashedAt").isMissingNode() || fresh.path("trashedAt").isNull()).isTrue();
        }
    }

    private static String server(LocalSuite suite) {
        return "http://127.0.0.1:" + suite.settings().queryPort();
    }

    private static void upload(LocalSuite suite, Path logdir) {
        UploadResult uploaded = Uploader.run(UploadOptions.builder(logdir, EXPERIMENT, suite.grpcEndpoint())
                .once(true).finishRuns(true).progress(UploadOptions.ProgressMode.QUIET).build());
        assertThat(uploaded.succeeded()).as(uploaded.message()).isTrue();
    }

    /** The experiment's runs by path (trashed ones are hidden). */
    private Map<String, Long> runIds(String api) {
        try {
            Map<String, Long> ids = new TreeMap<>();
            HttpResponse<String> experiments = send("GET", api + "/experiments?name=" + EXPERIMENT, null);
            JsonNode items = JSON.readTree(experiments.body()).path("items");
            if (items.isEmpty()) {
                return ids;
            }
            long experiment = items.get(0).get("id").asLong();
            JSON.readTree(send("GET", api + "/runs?experiment=" + experiment, null).body()).path("items")
                    .forEach(run -> ids.put(run.get("path").asText(), run.get("id").asLong()));
            return ids;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Row counts per table of every table with a run_id column that holds a row of {@code runId}. */
    private static Map<String, Integer> indexRowsOf(LocalSuite suite, long runId) {
        Map<String, String> db = suite.databaseEnvironment();
        try (Connection c = DriverManager.getConnection(db.get("QUARKUS_DATASOURCE_JDBC_URL"),
                db.get("QUARKUS_DATASOURCE_USERNAME"), db.get("QUARKUS_DATASOURCE_PASSWORD"))) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT c.table_name FROM information_schema.columns c
                    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                    WHERE c.table_schema = current_schema() AND c.column_name = 'run_id' AND t.table_type = 'BASE TABLE'
                      AND NOT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid
                                      WHERE k.relname = c.table_name)""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            tables.add("run");
            Map<String, Integer> rows = new TreeMap<>();
            for (String table : tables) {
                String column = table.equals("run") ? "id" : "run_id";
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE " + column
                        + " = ?")) {
                    ps.setLong(1, runId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) > 0) {
                            rows.put(table, rs.getInt(1));
                        }
                    }
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private HttpResponse<String> send(String method, String url, String json) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
            Thread.sleep(500);
        }
    }
}
