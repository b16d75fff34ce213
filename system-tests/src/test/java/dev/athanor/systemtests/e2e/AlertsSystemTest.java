package dev.athanor.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.athanor.suite.LocalSuite;
import dev.athanor.cli.testing.Cli;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.systemtests.harness.TestSuites;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.Outcome;
import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Alert rules on the real services (issue 18's acceptance): runs uploaded through gRPC, indexed by
 * ingest, evaluated by query-service, delivered to a webhook receiver on loopback (the JDK's HTTP
 * server) — a NaN loss notified once, naming its step, within 10 s of the upload being
 * acknowledged, signed with the rule's secret, and resolved when a restarted training job rewinds
 * past it; a receiver that is down gets the notification once when it is back, even with
 * query-service killed and restarted in between; a stall rule fires for a running run that stopped
 * logging and not for a finished one; a rule aimed at a link-local or private address is a 400.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String EXPERIMENT = "alerts-e2e";
    private static final String SECRET = "e2e-signing-secret";

    private record Call(String path, String body, Map<String, List<String>> headers, int answered) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }

        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    private Path home;
    private LocalSuite suite;
    private HttpServer receiver;
    private final List<Call> calls = new ArrayList<>();
    private final AtomicInteger answer = new AtomicInteger(200);

    @BeforeAll
    void start() throws Exception {
        home = Files.createTempDirectory("athanor-alerts-");
        suite = LocalSuite.start(TestSuites.settings(home, 1).withEnvironment(Map.of(
                "ATHANOR_ALERTS_STALL_INTERVAL", "PT1S",
                "ATHANOR_ALERTS_RETRY_INITIAL_DELAY", "PT0.5S",
                "ATHANOR_ALERTS_RETRY_MAX_DELAY", "PT2S",
                // A crash leaves its claimed delivery leased for 2 × this + 5 s (11 s), inside the restart test's window.
                "ATHANOR_ALERTS_REQUEST_TIMEOUT", "PT3S")), step -> System.out.println("[alerts] " + step));
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = answer.get();
            synchronized (calls) {
                calls.add(new Call(exchange.getRequestURI().getPath(), body, Map.copyOf(exchange.getRequestHeaders()), status));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        // The experiment exists once its first run is uploaded; rules name it.
        writeRun("warmup", 0, 5, -1, Clock.systemUTC());
        upload();
    }

    @AfterAll
    void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
        TestSuites.stop(suite, home);
    }

    @Test
    void aNanLossIsNotifiedOnceNamingItsStepSignedAndResolvedWhenTheRunRewindsPastIt() throws Exception {
        createRule("nan loss", "name = \"diverged\"", "no nan in metrics.loss", "/nan");
        writeRun("diverged", 0, 10, 7, Clock.systemUTC());
        upload();
        Instant acknowledged = Instant.now();

        List<Call> firing = await("/nan", c -> true, 1, acknowledged.plusSeconds(10));
        System.out.println("[alerts] notified " + Duration.between(acknowledged, Instant.now()).toMillis()
                + " ms after the upload was acknowledged");
        JsonNode body = firing.get(0).json();
        assertThat(body.get("kind").asText()).isEqualTo("firing");
        assertThat(body.get("step").asLong()).isEqualTo(7);
        assertThat(body.get("value").asText()).isEqualTo("NaN");
        assertThat(body.get("run").get("path").asText()).isEqualTo("diverged");
        assertThat(body.get("experiment").get("name").asText()).isEqualTo(EXPERIMENT);
        assertThat(body.get("url").asText()).startsWith("http://127.0.0.1:" + suite.settings().queryPort() + "/#/e/")
                .contains("step=7");
        assertSignedWithTheSecret(firing.get(0));
        Thread.sleep(3000);
        assertThat(calls("/nan")).as("exactly one notification").hasSize(1);

        // The job restarts from its step-5 checkpoint and logs finite losses: the NaN at 7 is replaced.
        writeRun("diverged", 5, 5, -1, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(5)));
        upload();
        List<Call> both = await("/nan", c -> true, 2, Instant.now().plusSeconds(10));
        assertThat(both.get(1).json().get("kind").asText()).isEqualTo("resolved");
        assertSignedWithTheSecret(both.get(1));
    }

    @Test
    void aReceiverThatIsDownGetsItOnceWhenBackEvenAcrossAQueryServiceRestart() throws Exception {
        answer.set(503);
        try {
            createRule("while down", "name = \"down-run\"", "no nan in metrics.loss", "/down");
            writeRun("down-run", 0, 3, 2, Clock.systemUTC());
            upload();
            await("/down", c -> c.answered() == 503, 2, Instant.now().plusSeconds(20));
            // Fired and recorded, not delivered: query-service dies; the receiver comes back meanwhile.
            suite.crashAndRestartQuery();
        } finally {
            answer.set(200);
        }
        // Within a lease (a crash between claim and call leaves one) plus a retry delay.
        await("/down", c -> c.answered() == 200, 1, Instant.now().plusSeconds(30));
        Thread.sleep(3000);
        List<Call> all = calls("/down");
        assertThat(all.stream().filter(c -> c.answered() == 200)).as("delivered once: " + all).hasSize(1);
        assertThat(all.stream().map(c -> c.header("X-Athanor-Delivery")).distinct()).as("one delivery id").hasSize(1);
        assertThat(all.stream().map(Call::body).distinct()).as("the same body on every attempt").hasSize(1);
        assertThat(all.get(0).json().get("step").asLong()).isEqualTo(2);
    }

    @Test
    void aStallRuleFiresForARunningRunThatStopsLoggingAndNotForAFinishedOne() throws Exception {
        writeRun("stall-running", 0, 3, -1, Clock.systemUTC());
        upload();
        // In a logdir of its own: finishing runs at the end of an upload finishes all of its runs.
        writeRun("finished/stall-finished", 0, 3, -1, Clock.systemUTC());
        UploadResult result = Uploader.run(UploadOptions.builder(home.resolve("logdir/finished"), EXPERIMENT,
                suite.grpcEndpoint()).once(true).finishRuns(true).progress(UploadOptions.ProgressMode.QUIET)
                .environment(Map.of()).build());
        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCESS);
        createRule("stalled", "name ~ \"^stall-\"", "no new points in metrics.loss for 4s", "/stall");
        List<Call> fired = await("/stall", c -> true, 1, Instant.now().plusSeconds(15));
        JsonNode body = fired.get(0).json();
        assertThat(body.get("run").get("path").asText()).isEqualTo("stall-running");
        assertThat(body.get("kind").asText()).isEqualTo("firing");
        assertThat(body.get("observed").asText()).startsWith("no new point in metrics.loss for");
        Thread.sleep(4000);
        assertThat(calls("/stall")).as("nothing for the finished run, nothing twice").hasSize(1);
    }

    @Test
    void aRuleAimedAtADisallowedAddressIsA400() throws Exception {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.7/hook")) {
            HttpResponse<String> response = post("{\"name\": \"probe\", \"experiment\": \"" + EXPERIMENT + "\","
                    + " \"condition\": \"no nan in metrics.loss\", \"webhook\": {\"url\": \"" + url + "\"}}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.get("where").asText()).isEqualTo("body.webhook.url");
            assertThat(error.get("message").asText()).contains("allow-list");
        }
    }

    @Test
    void theCliCreatesChangesTestsAndDeletesRules() throws Exception {
        String server = "--server=http://127.0.0.1:" + suite.settings().queryPort();
        Cli.Outcome created = Cli.run("alerts", "create", server, "--name", "cli rule", "--experiment", EXPERIMENT,
                "--condition", "metrics.loss@last > 100 after step 5",
                "--url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/cli", "--format", "slack");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String id = created.stdout().replaceAll("(?s)created alert rule (\\d+).*", "$1").trim();
        Cli.Outcome listed = Cli.run("alerts", "list", server);
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.stdout()).contains("cli rule").contains("metrics.loss@last > 100 after step 5").contains("(slack)");
        Cli.Outcome refused = Cli.run("alerts", "create", server, "--name", "bad", "--condition", "no nan in",
                "--url", "http://127.0.0.1:9/x");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains("condition").contains("column");
        Cli.Outcome incomplete = Cli.run("alerts", "create", server, "--name", "no url", "--condition", "no nan in metrics.loss");
        assertThat(incomplete.exitCode()).isEqualTo(2);
        assertThat(incomplete.stderr()).contains("needs --url");

        // update changes only what is given: the name and scope stay.
        Cli.Outcome changed = Cli.run("alerts", "update", server, id, "--condition", "metrics.loss@last > 1000 after step 5",
                "--format", "json", "--url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/cli-changed");
        assertThat(changed.exitCode()).as(changed.toString()).isZero();
        assertThat(changed.stdout()).contains("cli rule").contains("metrics.loss@last > 1000 after step 5").contains("(json)");
        JsonNode rule = JSON.readTree(Cli.run("alerts", "list", server, "--format", "json").stdout());
        JsonNode mine = java.util.stream.StreamSupport.stream(rule.spliterator(), false)
                .filter(r -> r.path("id").asText().equals(id)).findFirst().orElseThrow();
        assertThat(mine.path("experiment").asText()).isEqualTo(EXPERIMENT);
        assertThat(mine.path("condition").asText()).isEqualTo("metrics.loss@last > 1000 after step 5");
        Cli.Outcome nothing = Cli.run("alerts", "update", server, id);
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.stderr()).contains("nothing to change");
        Cli.Outcome contradiction = Cli.run("alerts", "update", server, id, "--no-filter", "--filter", "status = 'running'");
        assertThat(contradiction.exitCode()).isEqualTo(2);
        assertThat(contradiction.stderr()).contains("contradict");

        // test: one sample to the changed webhook; the exit code says whether it was taken.
        Cli.Outcome tested = Cli.run("alerts", "test", server, id);
        assertThat(tested.exitCode()).as(tested.toString()).isZero();
        assertThat(tested.stdout()).contains("delivered (HTTP 200)");
        List<Call> samples = new ArrayList<>();
        for (Call call : calls("/cli-changed")) {
            if (call.json().path("kind").asText().equals("test")) {
                samples.add(call);
            }
        }
        assertThat(samples).as("test notifications received").hasSize(1);
        assertThat(samples.get(0).json().path("rule").path("name").asText()).isEqualTo("cli rule");
        answer.set(503);
        try {
            Cli.Outcome turnedAway = Cli.run("alerts", "test", server, id);
            assertThat(turnedAway.exitCode()).as(turnedAway.toString()).isEqualTo(1);
            assertThat(turnedAway.stdout()).contains("not delivered (HTTP 503");
        } finally {
            answer.set(200);
        }

        // events: both tests, newest first, with how each delivery went.
        Cli.Outcome events = Cli.run("alerts", "events", server, id);
        assertThat(events.exitCode()).as(events.toString()).isZero();
        List<String> testRows = events.stdout().lines().filter(line -> line.contains("TEST")).toList();
        assertThat(testRows).hasSize(2);
        assertThat(testRows.get(0)).contains("(HTTP 503)");
        assertThat(testRows.get(1)).contains("(HTTP 200)");

        Cli.Outcome deleted = Cli.run("alerts", "delete", server, id);
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(Cli.run("alerts", "list", server).stdout()).doesNotContain("cli rule");
        assertThat(Cli.run("alerts", "events", server, id).exitCode()).as("the history of a deleted rule").isEqualTo(2);
    }

    // ---- helpers ----

    private void createRule(String name, String filter, String condition, String path) throws Exception {
        String body = JSON.writeValueAsString(Map.of("name", name, "experiment", EXPERIMENT, "filter", filter,
                "condition", condition, "webhook", Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + path,
                        "secret", SECRET)));
        HttpResponse<String> response = post(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.body()).doesNotContain(SECRET);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(suite.restBase() + "/projects/default/alert-rules"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Steps first..first+count-1 of loss (NaN at nanStep), wall times now, in a new event file of the run. */
    private void writeRun(String run, long first, int count, long nanStep, Clock clock) throws Exception {
        try (EventFileWriter writer = EventFileWriter.create(home.resolve(run.contains("/") ? "logdir" : "logdir/live").resolve(run), clock)) {
            double now = Instant.now().toEpochMilli() / 1000.0;
            for (long step = first; step < first + count; step++) {
                float loss = step == nanStep ? Float.NaN : 1.0f / (step + 1);
                writer.write(Event.newBuilder().setWallTime(now).setStep(step).setSummary(Summary.newBuilder()
                        .addValue(Summary.Value.newBuilder().setTag("loss").setSimpleValue(loss))).build());
            }
        }
    }

    private void upload() {
        UploadResult result = Uploader.run(UploadOptions.builder(home.resolve("logdir/live"), EXPERIMENT, suite.grpcEndpoint())
                .once(true).finishRuns(false).progress(UploadOptions.ProgressMode.QUIET).environment(Map.of()).build());
        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCESS);
    }

    private List<Call> calls(String path) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.path().equals(path)).toList();
        }
    }

    private List<Call> await(String path, Predicate<Call> which, int count, Instant deadline) throws InterruptedException {
        while (Instant.now().isBefore(deadline)) {
            if (calls(path).stream().filter(which).count() >= count) {
                return calls(path);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + count + " matching calls on " + path + " by " + deadline + "; got "
                + calls(path) + "\nquery-service log: " + suite.settings().logs());
    }

    /** What a receiver does: HMAC-SHA256 of "timestamp.body" with the secret, compared with the header. */
    private static void assertSignedWithTheSecret(Call call) throws Exception {
        String timestamp = call.header("X-Athanor-Timestamp");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + call.body())
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(call.header("X-Athanor-Signature")).isEqualTo(expected);
        assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp))).isLessThan(60);
    }
}
