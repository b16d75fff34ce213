package dev.athanor.query.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.profile.BigTrace;
import dev.athanor.query.assets.AssetRows;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.profile.service.ProfileCache;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The first look at a trace still being decoded: 202 with progress, and one decode for every look.
 * Its own service with a 10 ms answer window, so that the 48 MiB trace is still decoding when the
 * window closes however fast the machine is (with the default 1 s, a quiet machine decoded it in time
 * and answered 200).
 */
@Tag("quarkus")
@QuarkusTest
@TestProfile(ProfileFirstLookTest.ShortAnswerWindow.class)
@QuarkusTestResource(PostgresResource.class)
class ProfileFirstLookTest {

    public static class ShortAnswerWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("athanor.profiles.answer-within", "10ms");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    QueryConfig config;

    @Inject
    ProfileCache cache;

    IndexTestData data;
    long run;
    String runDir;

    @BeforeEach
    void data() {
        data = new IndexTestData(dataSource);
        String experimentName = IndexTestData.unique("rest-profile-first-look");
        run = data.run(data.experiment(experimentName), "train");
        runDir = "default/" + experimentName + "/train";
    }

    @Test
    void theFirstLookAtABigTraceAnswersAtOnceWithProgressAndTwoFirstLooksIndexOnce() throws Exception {
        Path big = Files.createTempFile("big", ".pt.trace.json");
        try {
            BigTrace.write(big, 48L << 20);
            AssetRows.store(data, config.raw().hotRoot(), run, runDir, "vm_1.1796554000000000000.pt.trace.json",
                    Files.readAllBytes(big));
        } finally {
            Files.deleteIfExists(big);
        }
        String steps = "/api/v1/runs/" + run + "/profiles/1796554000000000000/steps";
        long decodesBefore = cache.decodes();
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<Response>> first = List.of(two.submit(() -> given().get(steps)), two.submit(() -> given().get(steps)));
            for (Future<Response> f : first) {
                Response r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
                assertThat(r.header("Retry-After")).isEqualTo("1");
                assertThat(r.jsonPath().getString("state")).isEqualTo("indexing");
                assertThat(r.jsonPath().getString("file")).isEqualTo("vm_1.1796554000000000000.pt.trace.json");
                assertThat(r.jsonPath().getDouble("progress")).isBetween(0.0, 1.0);
                assertThat(r.jsonPath().getLong("fileBytes")).isGreaterThan(48L << 20);
            }
        } finally {
            two.shutdownNow();
        }
        double last = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        Response r;
        while ((r = given().get(steps)).statusCode() == 202) {
            double progress = r.jsonPath().getDouble("progress");
            assertThat(progress).as("progress never goes back").isGreaterThanOrEqualTo(last);
            last = progress;
            assertThat(System.nanoTime()).as("indexed within 3 minutes").isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getList("steps")).isNotEmpty();
        assertThat(cache.decodes() - decodesBefore).as("two first looks and the polls decoded it once").isEqualTo(1);
    }
}
