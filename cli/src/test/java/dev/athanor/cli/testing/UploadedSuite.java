package dev.athanor.cli.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.suite.LocalSuite;
import dev.athanor.suite.Ports;
import dev.athanor.testing.OptionalPart;
import dev.athanor.testing.RepoRoot;
import dev.athanor.tfevents.testing.Fixtures;
import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local suite (embedded PostgreSQL, query-service and ingest-service from their built jars)
 * with {@link SmallSweep} uploaded as experiment {@value #EXPERIMENT} and, when the shared
 * fixtures exist, the fixtures folder as {@value #FIXTURES_EXPERIMENT} — both through the real
 * uploader, and waited for until the index has all of it. Started once per test JVM.
 */
public final class UploadedSuite implements AutoCloseable {

    public static final String EXPERIMENT = "cli-rest";
    public static final String FIXTURES_EXPERIMENT = "cli-fixtures";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INDEX_TIMEOUT = Duration.ofSeconds(120);

    private final Path home;
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalSuite suite;
    private Path logdir;
    private Path fixtures;

    private UploadedSuite(Path home) {
        this.home = home;
    }

    static UploadedSuite start() {
        UploadedSuite started = null;
        try {
            started = new UploadedSuite(Files.createTempDirectory("athanor-cli-rest-"));
            started.startAndUpload();
            return started;
        } catch (Exception e) {
            if (started != null) {
                started.close();
            }
            throw new IllegalStateException("the local suite for the REST command tests did not come up: " + e.getMessage(), e);
        }
    }

    private void startAndUpload() throws IOException, InterruptedException {
        Path repo = repoRoot();
        for (String service : new String[] {"query-service", "ingest-service"}) {
            Path jar = repo.resolve(service + "/target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: these tests run the built services; build them with "
                        + "./mvnw -pl " + service + " -am package -DskipTests (the reactor builds them before cli)");
            }
        }
        LocalSuite.Settings settings = new LocalSuite.Settings(home, repo, Path.of(System.getProperty("java.home")),
                freePort(), freePort(), freePort(), freePort(), freePort(), Duration.ofMinutes(3))
                // A decode longer than this is answered 202 with its progress: WebUiProfilesTest's 64 MiB
                // trace must be such a first look even on a fast, quiet machine (the default, 1 s, is not).
                .withEnvironment(java.util.Map.of("ATHANOR_PROFILES_ANSWER_WITHIN", "PT0.1S"));
        suite = LocalSuite.start(settings, step -> System.out.println("[suite] " + step));

        logdir = home.resolve("logdir");
        SmallSweep.write(logdir);
        upload(logdir, EXPERIMENT);
        // Where the fixtures are required (CI), their absence fails here instead of thinning the suite.
        fixtures = OptionalPart.FIXTURES.isRequired() ? Fixtures.dir() : Fixtures.find().orElse(null);
        if (fixtures != null) {
            upload(fixtures, FIXTURES_EXPERIMENT);
        }
        awaitIndexed(EXPERIMENT, logdir);
        if (fixtures != null) {
            awaitIndexed(FIXTURES_EXPERIMENT, fixtures);
        }
    }

    /** The query service's base URL, as {@code --server} takes it. */
    public String server() {
        return "http://127.0.0.1:" + suite.settings().queryPort();
    }

    /** query-service's TensorBoard data provider, as {@code athanor tensorboard --data-provider} takes it. */
    public String dataProviderEndpoint() {
        return suite.dataProviderEndpoint();
    }

    /** The ingest gRPC endpoint, as {@code athanor upload --endpoint} takes it. */
    public String grpcEndpoint() {
        return suite.grpcEndpoint();
    }

    /** The logdir uploaded as {@value #EXPERIMENT}. */
    public Path logdir() {
        return logdir;
    }

    /** The shared fixtures folder uploaded as {@value #FIXTURES_EXPERIMENT}, when it exists. */
    public Optional<Path> fixtures() {
        return Optional.ofNullable(fixtures);
    }

    public Path home() {
        return home;
    }

    /** Where ingest keeps runs (the TensorBoard layout). */
    public Path hotRoot() {
        return suite.settings().hotRoot();
    }

    /** GET a path of the REST API as JSON (test plumbing independent of the CLI's client). */
    public JsonNode get(String pathAndQuery) {
        String body = getText(pathAndQuery);
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + pathAndQuery + " did not answer JSON: " + body, e);
        }
    }

    /**
     * GET a path of the REST API as JSON, asking again while it answers 202 (a profile being
     * indexed: the server says how far it got and when to ask again).
     */
    public JsonNode getWhenReady(String pathAndQuery, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server() + pathAndQuery))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return JSON.readTree(response.body());
                }
                if (response.statusCode() != 202 || Instant.now().isAfter(deadline)) {
                    throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode() + ": "
                            + response.body());
                }
                Thread.sleep(1000L * Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")));
            } catch (IOException e) {
                throw new UncheckedIOException("GET " + pathAndQuery, e);
            }
        }
    }

    /** GET a path of the REST API as text. */
    public String text(String pathAndQuery) {
        return getText(pathAndQuery);
    }

    private String getText(String pathAndQuery) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server() + pathAndQuery))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + pathAndQuery, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public long experimentId(String name) {
        JsonNode items = get("/api/v1/experiments?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)).get("items");
        assertThat(items).as("experiment " + name).hasSize(1);
        return items.get(0).get("id").asLong();
    }

    /** Uploads a logdir as an experiment through the real uploader (the caller waits for the index as it needs). */
    public void upload(Path dir, String experiment) {
        UploadResult result = Uploader.run(UploadOptions.builder(dir, experiment, suite.grpcEndpoint())
                .once(true).progress(UploadOptions.ProgressMode.QUIET).build());
        if (!result.succeeded()) {
            throw new IllegalStateException("upload of " + dir + " as " + experiment + " failed: " + result.message()
                    + " " + result.problems());
        }
    }

    /**
     * Waits (up to 120 s) until the experiment has {@code runs} runs matching {@code filter} — a
     * filter that holds once a run is fully indexed, e.g. {@code metrics.loss@count = 20} — and
     * answers its id.
     */
    public long awaitRuns(String experiment, String filter, int runs) throws InterruptedException {
        Instant deadline = Instant.now().plus(INDEX_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            JsonNode found = get("/api/v1/experiments?name=" + URLEncoder.encode(experiment, StandardCharsets.UTF_8)).get("items");
            if (!found.isEmpty()) {
                long id = found.get(0).get("id").asLong();
                JsonNode items = get("/api/v1/runs?experiment=" + id + "&filter="
                        + URLEncoder.encode(filter, StandardCharsets.UTF_8)).get("items");
                if (items.size() == runs) {
                    return id;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the " + runs + " runs of " + experiment + " were not indexed within "
                + INDEX_TIMEOUT.toSeconds() + " s");
    }

    /**
     * Ingest acknowledges once data is durable in the raw log and indexes right after; waits
     * until the export holds every exportable value and every run its hparams.
     */
    private void awaitIndexed(String experiment, Path dir) throws InterruptedException {
        int expected = ExportableRecords.of(dir).size();
        Instant deadline = Instant.now().plus(INDEX_TIMEOUT);
        long seen = -1;
        while (Instant.now().isBefore(deadline)) {
            JsonNode experiments = get("/api/v1/experiments?name=" + URLEncoder.encode(experiment, StandardCharsets.UTF_8));
            if (!experiments.get("items").isEmpty()) {
                long id = experiments.get("items").get(0).get("id").asLong();
                seen = getText("/api/v1/export?experiment=" + id).lines().count();
                if (seen == expected && (!experiment.equals(EXPERIMENT) || everyRunHasHparams(id))) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("experiment " + experiment + " was not fully indexed within "
                + INDEX_TIMEOUT.toSeconds() + " s: the export has " + seen + " values, inspect of " + dir + " " + expected);
    }

    private boolean everyRunHasHparams(long experimentId) {
        JsonNode runs = get("/api/v1/runs?experiment=" + experimentId).get("items");
        if (runs.size() < 3) {
            return false;
        }
        for (JsonNode run : runs) {
            if (run.path("hparams").isEmpty()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (suite != null) {
            suite.close();
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not remove " + home + ": " + e.getMessage());
        }
    }

    /** The checkout's root ({@link RepoRoot}). */
    public static Path repoRoot() {
        return RepoRoot.path();
    }

    /** A port no other part of this test JVM was given ({@link Ports#free()}), unchecked. */
    public static int freePort() {
        try {
            return Ports.free();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
