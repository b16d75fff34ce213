package dev.athanor.query.alerts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.query.alerts.delivery.WebhookClient;
import dev.athanor.query.alerts.delivery.WebhookSignature;
import dev.athanor.query.alerts.service.AlertConfig;
import dev.athanor.query.alerts.service.AlertMetrics;
import dev.athanor.query.alerts.service.DeliveryWorker;
import dev.athanor.query.alerts.store.PgDeliveryStore;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import dev.athanor.testing.Await;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Alert rules in query-service against real PostgreSQL and a real HTTP receiver on loopback: the
 * index is written as ingest writes it (points, then the run row updated in a transaction of its
 * own), and the evaluator and the delivery worker run as in production (fast intervals from the
 * %test profile).
 */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class AlertRuleResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RULES = "/api/v1/projects/default/alert-rules";
    private static final String SECRET = "s3cret-for-tests";
    private static WebhookReceiver receiver;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    PgDeliveryStore deliveryStore;

    @Inject
    WebhookClient webhookClient;

    @Inject
    AlertMetrics alertMetrics;

    @Inject
    AlertConfig alertConfig;

    IndexTestData data;
    String experiment;
    long experimentId;

    @BeforeAll
    static void receiver() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @BeforeEach
    void experiment() {
        data = new IndexTestData(dataSource);
        experiment = IndexTestData.unique("alerts");
        experimentId = data.experiment(experiment);
        receiver.answer(200);
    }

    private int createRule(String name, String condition, String path) {
        return given().contentType(ContentType.JSON).body("""
                        {"name": "%s", "experiment": "%s", "condition": "%s",
                         "webhook": {"url": "%s", "secret": "%s"}}""".formatted(name, experiment, condition.replace("\"", "\\\""),
                        receiver.url(path), SECRET))
                .post(RULES).then().statusCode(201).body("webhook.hasSecret", equalTo(true))
                .body(not(containsString(SECRET))).extract().path("id");
    }

    /** What ingest's indexer does in each transaction beside writing points: the run row's wall-time bounds. */
    private void touch(long runId) {
        data.execute("UPDATE run SET last_event_at = now() WHERE id = ?", runId);
    }

    private static List<WebhookReceiver.Call> await(String path, int count, Duration within) throws InterruptedException {
        Await.until(() -> count + " calls on " + path + "; got " + receiver.calls(path), within, Duration.ofMillis(50),
                () -> receiver.calls(path).size() >= count);
        return receiver.calls(path);
    }

    private static JsonNode json(WebhookReceiver.Call call) throws Exception {
        return JSON.readTree(call.body());
    }

    private static void assertSigned(WebhookReceiver.Call call) {
        long timestamp = Long.parseLong(call.header(WebhookSignature.TIMESTAMP_HEADER));
        assertThat(call.header(WebhookSignature.SIGNATURE_HEADER))
                .isEqualTo(WebhookSignature.sign(SECRET, timestamp, call.body().getBytes(StandardCharsets.UTF_8)))
                .matches("sha256=[0-9a-f]{64}");
        assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(60);
    }

    @Test
    void aNanLossFiresOnceNamingItsStepAndTheSignatureVerifies() throws Exception {
        String path = "/nan-" + experimentId;
        int ruleId = createRule("nan loss", "no nan in metrics.loss", path);
        long run = data.run(experimentId, "run-a");
        long series = data.scalarSeries(run, "loss", new double[] {1.0, 0.8, 0.7, Double.NaN, 0.6}, 2);
        touch(run);

        List<WebhookReceiver.Call> calls = await(path, 1, Duration.ofSeconds(10));
        JsonNode body = json(calls.get(0));
        assertThat(body.get("kind").asText()).isEqualTo("firing");
        assertThat(body.get("step").asLong()).isEqualTo(3);
        assertThat(body.get("value").asText()).isEqualTo("NaN");
        assertThat(body.get("run").get("id").asLong()).isEqualTo(run);
        assertThat(body.get("run").get("path").asText()).isEqualTo("run-a");
        assertThat(body.get("experiment").get("name").asText()).isEqualTo(experiment);
        assertThat(body.get("project").asText()).isEqualTo("default");
        assertThat(body.get("rule").get("id").asInt()).isEqualTo(ruleId);
        assertThat(body.get("condition").asText()).isEqualTo("no nan in metrics.loss");
        assertThat(body.get("url").asText()).contains("/#/e/" + experimentId + "/scalars?runs=" + run).contains("step=3");
        assertThat(calls.get(0).header("X-Athanor-Delivery")).matches("\\d+");
        assertSigned(calls.get(0));

        // More data for the run (still NaN at step 3): no second notification.
        data.scalars(series, new long[] {5, 6}, new double[] {1006, 1007}, new double[] {0.5, 0.4}, 10);
        touch(run);
        Thread.sleep(1500);
        assertThat(receiver.calls(path)).hasSize(1);

        given().get(RULES + "/" + ruleId).then().statusCode(200).body("firing[0].runId", equalTo((int) run))
                .body("firing[0].step", equalTo(3)).body("firing[0].observed", equalTo("metrics.loss is NaN at step 3"));
        given().get(RULES + "/" + ruleId + "/events").then().statusCode(200).body("[0].kind", equalTo("FIRING"))
                .body("[0].deliveries[0].state", equalTo("DELIVERED")).body("[0].deliveries[0].lastStatus", equalTo(200));
        given().get(RULES + "/" + ruleId).then().body("firing[0].chart",
                equalTo("#/e/" + experimentId + "/scalars?runs=" + run + "&tags=loss&pins=loss&step=3"));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("athanor_alerts_rule_evaluations_total").contains("athanor_alerts_firing")
                .contains("athanor_alerts_transitions_total").contains("kind=\"firing\"")
                .contains("athanor_alerts_deliveries_total").contains("outcome=\"delivered\"")
                .contains("athanor_alerts_evaluation_lag_seconds_count");
    }

    @Test
    void aThresholdRuleFiresAndResolvesAfterItsStep() throws Exception {
        String path = "/threshold-" + experimentId;
        createRule("loss high", "metrics.loss@last > 5 after step 2", path);
        long run = data.run(experimentId, "run-b");
        long series = data.scalarSeries(run, "loss", new double[] {9, 9}, 10); // steps 0-1: above, but before step 2
        touch(run);
        Thread.sleep(1000);
        assertThat(receiver.calls(path)).as("not armed before step 2").isEmpty();

        data.scalars(series, new long[] {2}, new double[] {1002}, new double[] {7.5}, 10);
        touch(run);
        JsonNode firing = json(await(path, 1, Duration.ofSeconds(10)).get(0));
        assertThat(firing.get("kind").asText()).isEqualTo("firing");
        assertThat(firing.get("value").asDouble()).isEqualTo(7.5);
        assertThat(firing.get("step").asLong()).isEqualTo(2);

        data.scalars(series, new long[] {3}, new double[] {1003}, new double[] {0.5}, 10);
        touch(run);
        List<WebhookReceiver.Call> calls = await(path, 2, Duration.ofSeconds(10));
        JsonNode resolved = json(calls.get(1));
        assertThat(resolved.get("kind").asText()).isEqualTo("resolved");
        assertThat(resolved.get("value").asDouble()).isEqualTo(0.5);
        assertThat(calls.get(1).header("X-Athanor-Event")).isEqualTo("resolved");
        assertSigned(calls.get(1));
    }

    @Test
    void aStatusRuleFiresWhenARunFails() throws Exception {
        String path = "/failed-" + experimentId;
        createRule("failed", "status = 'failed'", path);
        long run = data.run(experimentId, "run-c");
        Thread.sleep(700);
        assertThat(receiver.calls(path)).isEmpty();
        data.execute("UPDATE run SET status = 'FAILED', ended_at = now() WHERE id = ?", run);
        JsonNode body = json(await(path, 1, Duration.ofSeconds(10)).get(0));
        assertThat(body.get("observed").asText()).isEqualTo("status = FAILED");
    }

    @Test
    void aDownReceiverIsRetriedAndGetsTheNotificationOnceBackUp() throws Exception {
        String path = "/down-" + experimentId;
        receiver.answer(503);
        int ruleId = createRule("nan while down", "no nan in metrics.loss", path);
        long run = data.run(experimentId, "run-d");
        data.scalarSeries(run, "loss", new double[] {Double.NaN}, 10);
        touch(run);
        await(path, 3, Duration.ofSeconds(15)); // refused three times: retried with backoff
        receiver.answer(200);
        Supplier<Long> delivered = () -> receiver.calls(path).stream().filter(c -> c.answered() == 200).count();
        Instant deadline = Instant.now().plusSeconds(15);
        while (delivered.get() == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        Thread.sleep(1500);
        List<WebhookReceiver.Call> calls = receiver.calls(path);
        assertThat(delivered.get()).as("delivered once: " + calls).isEqualTo(1);
        assertThat(calls.stream().map(c -> c.header("X-Athanor-Delivery")).distinct()).as("one delivery, retried").hasSize(1);
        assertThat(calls.stream().map(WebhookReceiver.Call::body).distinct()).as("the same bytes each time").hasSize(1);
        given().get(RULES + "/" + ruleId + "/events").then().statusCode(200)
                .body("[0].deliveries[0].state", equalTo("DELIVERED"))
                .body("[0].deliveries[0].attempts", equalTo(calls.size()));
    }

    @Test
    void aReceiverThatIsSlowToAnswerHoldsBackNoOtherDeliveryFromAnotherReplica() throws Exception {
        String slow = "/slow-" + experimentId;
        String other = "/other-" + experimentId;
        int slowRule = createRule("slow receiver", "no nan in metrics.loss", slow);
        int otherRule = createRule("other receiver", "no nan in metrics.loss", other);
        receiver.answer(503);
        long run = data.run(experimentId, "run-slow");
        data.scalarSeries(run, "loss", new double[] {Double.NaN}, 10);
        touch(run);
        await(slow, 1, Duration.ofSeconds(10));
        await(other, 1, Duration.ofSeconds(10));
        CountDownLatch answerSlow = receiver.hold(slow);
        receiver.answer(200);
        try {
            // Both retries fall due together, the slow receiver's first: this replica's worker sees both at once.
            Await.until(() -> "both deliveries unclaimed, to reschedule them", Duration.ofSeconds(10), Duration.ofMillis(20),
                    () -> rescheduleTogether(slowRule, otherRule) == 2);
            await(slow, 2, Duration.ofSeconds(10));
            if (delivered(other) == 0) {
                // Another replica's worker looks while this one waits on the slow receiver: the other
                // delivery must be its to send, not leased to the stuck worker.
                new DeliveryWorker(deliveryStore, webhookClient, alertMetrics, alertConfig).deliverDue();
            }
            assertThat(delivered(other)).as("delivered while the slow receiver has not answered: " + receiver.calls(other))
                    .isEqualTo(1);
            assertThat(answerSlow.getCount()).as("the slow call is still unanswered").isEqualTo(1);
        } finally {
            answerSlow.countDown();
        }
        Thread.sleep(1000);
        assertThat(delivered(other)).as("sent once").isEqualTo(1);
        assertThat(delivered(slow)).as("answered 200 in time: sent once").isEqualTo(1);
    }

    private static long delivered(String path) {
        return receiver.calls(path).stream().filter(c -> c.answered() == 200).count();
    }

    /** Makes both rules' pending deliveries due in one second, the first rule's a millisecond earlier, if neither is claimed now. */
    private int rescheduleTogether(int firstRule, int secondRule) throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "UPDATE alert_delivery SET next_attempt_at = date_trunc('milliseconds', now()) + interval '1 second'"
                        + " + CASE WHEN rule_id = ? THEN interval '0' ELSE interval '1 millisecond' END"
                        + " WHERE rule_id IN (?, ?) AND state = 'PENDING' AND NOT EXISTS (SELECT 1 FROM alert_delivery d"
                        + " WHERE d.rule_id IN (?, ?) AND d.lease_until > now())")) {
            for (int i : new int[] {1, 2, 4}) {
                ps.setInt(i, firstRule);
            }
            ps.setInt(3, secondRule);
            ps.setInt(5, secondRule);
            return ps.executeUpdate();
        }
    }

    @Test
    void aStallRuleFiresForARunningRunThatStoppedLoggingAndNotForAFinishedOne() throws Exception {
        String path = "/stall-" + experimentId;
        long running = data.run(experimentId, "still-running");
        long finished = data.run(experimentId, "finished", "FINISHED", Instant.now(), "{}");
        double now = Instant.now().getEpochSecond();
        for (long run : new long[] {running, finished}) {
            long series = data.series(run, "loss", "scalars", 1);
            data.scalars(series, new long[] {0, 1}, new double[] {now - 1, now}, new double[] {1, 0.9}, 10);
            touch(run);
        }
        createRule("stalled", "no new points in metrics.loss for 2s", path);
        Thread.sleep(800);
        assertThat(receiver.calls(path)).as("fresh points: nothing yet").isEmpty();
        JsonNode body = json(await(path, 1, Duration.ofSeconds(10)).get(0));
        assertThat(body.get("run").get("id").asLong()).isEqualTo(running);
        assertThat(body.get("step").asLong()).isEqualTo(1);
        Thread.sleep(1500);
        assertThat(receiver.calls(path)).hasSize(1);

        // It finishes: the stall resolves.
        data.execute("UPDATE run SET status = 'FINISHED', ended_at = now() WHERE id = ?", running);
        assertThat(json(await(path, 2, Duration.ofSeconds(10)).get(1)).get("kind").asText()).isEqualTo("resolved");
    }

    @Test
    void aTestNotificationIsSentAndLogged() throws Exception {
        String path = "/test-" + experimentId;
        int ruleId = createRule("for a test", "metrics.loss@last > 100", path);
        given().post(RULES + "/" + ruleId + "/test").then().statusCode(200).body("delivered", equalTo(true))
                .body("status", equalTo(200));
        WebhookReceiver.Call call = await(path, 1, Duration.ofSeconds(5)).get(0);
        assertThat(json(call).get("kind").asText()).isEqualTo("test");
        assertSigned(call);
        given().get(RULES + "/" + ruleId + "/events").then().statusCode(200).body("[0].kind", equalTo("TEST"))
                .body("[0].deliveries[0].id", equalTo(Integer.parseInt(call.header("X-Athanor-Delivery"))));
    }

    @Test
    void disallowedTargetsAndBadConditionsAreRefusedWithA400NamingWhy() {
        String[][] refused = {
                {"http://169.254.169.254/latest/meta-data", "link-local"},
                {"http://10.1.2.3/hook", "private"},
                {"http://[fd00::1]/hook", "private or reserved"},
                {"ftp://example.com/hook", "http:// or https://"},
                {"http://user:pw@127.0.0.1/hook", "user information"},
        };
        for (String[] r : refused) {
            given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"condition\": \"no nan in metrics.loss\","
                            + " \"webhook\": {\"url\": \"" + r[0] + "\"}}").post(RULES).then().statusCode(400)
                    .body("where", equalTo("body.webhook.url")).body("message", containsString(r[1]));
        }
        String[][] bad = {
                {"no nan in metrics.loss and metrics.acc@last < 0.5", "give it a rule of its own"},
                {"metrics.loss@last >", "column"},
                {"status = 'failed' after step 10", "names none"},
                {"no new points in metrics.loss for 15", "a duration"},
                {"no new points in metrics.loss@max for 15m", "a metric without @"},
                {"label > 3", "label takes"},
                {"name ~ \"(\"", "invalid regular expression"},
        };
        for (String[] b : bad) {
            given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"condition\": " + quote(b[0])
                            + ", \"webhook\": {\"url\": \"" + receiver.url("/never") + "\"}}").post(RULES).then().statusCode(400)
                    .body("where", org.hamcrest.Matchers.anyOf(equalTo("condition"), equalTo("body.condition")))
                    .body("message", containsString(b[1]));
        }
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"condition\": \"no nan in metrics.loss\","
                + " \"webhook\": {\"url\": \"" + receiver.url("/x") + "\", \"secret\": \"short\"}}").post(RULES).then()
                .statusCode(400).body("where", equalTo("body.webhook.secret"));
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"condition\": \"no nan in metrics.loss\","
                + " \"webhook\": {\"url\": \"" + receiver.url("/x") + "\"}, \"colour\": 1}").post(RULES).then()
                .statusCode(400).body("where", equalTo("body.colour"));
        given().get("/api/v1/projects/no-such-project/alert-rules").then().statusCode(404);
    }

    @Test
    void aRuleIsReadChangedAndDeletedWithoutItsSecretEverShown() {
        String path = "/crud-" + experimentId;
        int id = createRule("crud", "metrics.loss@max < 0.5", path);
        given().get(RULES).then().statusCode(200).body(not(containsString(SECRET)));
        given().contentType(ContentType.JSON).body("{\"name\": \"crud renamed\", \"webhook\": {\"format\": \"slack\"}}")
                .put(RULES + "/" + id).then().statusCode(200).body("name", equalTo("crud renamed"))
                .body("webhook.format", equalTo("slack")).body("webhook.hasSecret", equalTo(true))
                .body("webhook.url", equalTo(receiver.url("/…")))
                .body("condition", equalTo("metrics.loss@max < 0.5")).body(not(containsString(SECRET)));
        given().contentType(ContentType.JSON).body("{\"webhook\": {\"secret\": null}}").put(RULES + "/" + id).then()
                .statusCode(200).body("webhook.hasSecret", equalTo(false));
        createRule("crud two", "metrics.loss@max < 0.5", path);
        given().contentType(ContentType.JSON).body("{\"name\": \"crud two\"}").put(RULES + "/" + id).then().statusCode(409);
        given().delete(RULES + "/" + id).then().statusCode(204);
        given().get(RULES + "/" + id).then().statusCode(404);
    }

    @Test
    void randomFiltersAndConditionsOverRestAreCreatedOrRefusedNever500() {
        java.util.Random random = new java.util.Random(1818);
        java.util.List<Integer> created = new java.util.ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 150; i++) {
            String condition = random.nextBoolean() ? AlertInputFuzzTest.random(random)
                    : AlertInputFuzzTest.mutate(random, AlertInputFuzzTest.SEEDS.get(random.nextInt(AlertInputFuzzTest.SEEDS.size())));
            String filter = random.nextInt(3) == 0 ? null : AlertInputFuzzTest.random(random);
            java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("name", "fuzz " + i);
            body.put("experiment", experiment);
            body.put("filter", filter);
            body.put("condition", condition);
            body.put("webhook", java.util.Map.of("url", receiver.url("/fuzz")));
            io.restassured.response.Response r = given().contentType(ContentType.JSON).body(body).post(RULES);
            assertThat(r.statusCode()).as(condition + " / " + filter + ": " + r.asString()).isIn(201, 400);
            if (r.statusCode() == 201) {
                created.add(r.path("id"));
            } else {
                refused++;
                assertThat(r.jsonPath().getString("error")).isEqualTo("BAD_REQUEST");
                assertThat(r.jsonPath().getString("where")).isNotBlank();
            }
        }
        assertThat(refused).isGreaterThan(0);
        assertThat(created).as("some random rules are valid").isNotEmpty();
        created.forEach(id -> given().delete(RULES + "/" + id).then().statusCode(204));
        data.execute("SELECT count(*) FROM run");
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
