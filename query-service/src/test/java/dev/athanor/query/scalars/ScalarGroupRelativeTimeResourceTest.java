package dev.athanor.query.scalars;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Run groups aligned on relative wall time (x=relative): a sweep of 3 settings × 4 seeds whose runs
 * start hours apart and take 0.5 to 1.25 s per step, so step buckets and time buckets hold different
 * points. Each group's mean and std per bucket must equal those computed here from the points
 * written: per member, the value of its last point whose time since the member's first point falls
 * in the bucket (buckets: the longest member's duration cut into maxPoints equal spans).
 */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ScalarGroupRelativeTimeResourceTest {

    static final double[] LRS = {0.1, 0.01, 0.001};
    static final int SEEDS = 4;
    static final int STEPS = 300;
    static final int MAX_POINTS = 40;

    @Inject
    AgroalDataSource dataSource;

    long experiment;
    /** Per run: its relative times and values, as written. */
    final Map<Long, double[][]> written = new LinkedHashMap<>();

    @BeforeEach
    void sweep() {
        IndexTestData data = new IndexTestData(dataSource);
        experiment = data.experiment(IndexTestData.unique("reltime"));
        written.clear();
        int index = 0;
        for (double lr : LRS) {
            for (int seed = 0; seed < SEEDS; seed++) {
                long run = data.run(experiment, "lr" + lr + "_seed" + seed, "FINISHED", null,
                        "{\"lr\": " + lr + ", \"seed\": " + seed + "}");
                double start = 1.7e9 + 7200.0 * index++;
                double perStep = 0.5 + 0.25 * seed;
                long[] steps = new long[STEPS];
                double[] walls = new double[STEPS];
                double[] values = new double[STEPS];
                double[] relative = new double[STEPS];
                for (int i = 0; i < STEPS; i++) {
                    steps[i] = i;
                    walls[i] = start + perStep * i;
                    relative[i] = walls[i] - start;
                    values[i] = lr * 10 + Math.cos(i * 0.03 + seed) * (seed + 1);
                }
                // One point per chunk: every point lands in its own time bucket (no chunk folding),
                // so the expectation below is exact.
                data.scalars(data.series(run, "loss", "scalars", 1), steps, walls, values, 1);
                written.put(run, new double[][] {relative, values});
            }
        }
    }

    @Test
    void groupsOnRelativeTimeHaveTheMeanAndStdOfTheMembersLastPointPerTimeBucket() {
        JsonPath grouped = doubles(given().queryParam("experiment", experiment).queryParam("tag", "loss")
                .queryParam("maxPoints", MAX_POINTS).queryParam("groupBy", "hparams.lr").queryParam("x", "relative")
                .get("/api/v1/scalars").then().statusCode(200).extract().asString());
        assertThat(grouped.getString("grouping.x")).isEqualTo("relative");
        assertThat(grouped.getList("groups")).hasSize(LRS.length);
        double longest = written.values().stream().mapToDouble(w -> w[0][STEPS - 1]).max().orElseThrow();
        double width = longest / MAX_POINTS;
        for (int g = 0; g < LRS.length; g++) {
            String at = "groups[" + g + "].series[0].points";
            List<Long> members = grouped.getList("groups[" + g + "].runIds", Long.class);
            assertThat(members).hasSize(SEEDS);
            // Expected per bucket: each member's last point there (its value and relative time).
            Map<Integer, List<Double>> values = new java.util.TreeMap<>();
            Map<Integer, Double> lastTime = new java.util.TreeMap<>();
            for (long run : members) {
                double[][] w = written.get(run);
                Map<Integer, Integer> lastInBucket = new LinkedHashMap<>();
                for (int i = 0; i < STEPS; i++) {
                    int b = (int) Math.max(0, Math.min(MAX_POINTS - 1, Math.floor(w[0][i] / width)));
                    lastInBucket.put(b, i);
                }
                lastInBucket.forEach((b, i) -> {
                    values.computeIfAbsent(b, k -> new ArrayList<>()).add(w[1][i]);
                    lastTime.merge(b, w[0][i], Math::max);
                });
            }
            List<Double> x = grouped.getList(at + ".x", Double.class);
            List<Integer> count = grouped.getList(at + ".count", Integer.class);
            List<Object> center = grouped.getList(at + ".center");
            List<Object> low = grouped.getList(at + ".low");
            assertThat(x).hasSize(values.size());
            int k = 0;
            for (Map.Entry<Integer, List<Double>> e : values.entrySet()) {
                double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
                double mean = java.util.Arrays.stream(v).average().orElseThrow();
                assertThat(x.get(k)).as("group %d bucket %d time", g, e.getKey())
                        .isCloseTo(lastTime.get(e.getKey()), within(1e-9));
                assertThat(count.get(k)).as("group %d bucket %d members", g, e.getKey()).isEqualTo(v.length);
                assertThat(((Number) center.get(k)).doubleValue()).as("group %d bucket %d mean", g, e.getKey())
                        .isCloseTo(mean, within(1e-9));
                if (v.length > 1) {
                    double sd = Math.sqrt(java.util.Arrays.stream(v).map(d -> (d - mean) * (d - mean)).sum() / (v.length - 1));
                    assertThat(((Number) low.get(k)).doubleValue()).as("group %d bucket %d low", g, e.getKey())
                            .isCloseTo(mean - sd, within(1e-9));
                }
                k++;
            }
            // The slowest seed ends last: the final bucket holds it alone, not all four as step buckets would.
            assertThat(count.get(count.size() - 1)).isEqualTo(1);
        }
    }

    private static JsonPath doubles(String json) {
        return new JsonPath(json).using(new io.restassured.path.json.config.JsonPathConfig(
                io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));
    }

    @Test
    void membersComeBackOnTheSameRelativeAxisAndChartsByWidthRefuseIt() {
        JsonPath grouped = doubles(given().queryParam("experiment", experiment).queryParam("tag", "loss")
                .queryParam("maxPoints", MAX_POINTS).queryParam("groupBy", "hparams.lr").queryParam("x", "relative")
                .queryParam("members", true).get("/api/v1/scalars").then().statusCode(200).extract().asString());
        assertThat(grouped.getList("series")).hasSize(LRS.length * SEEDS);
        double longest = written.values().stream().mapToDouble(w -> w[0][STEPS - 1]).max().orElseThrow();
        for (int i = 0; i < LRS.length * SEEDS; i++) {
            String at = "series[" + i + "]";
            assertThat(grouped.getString(at + ".sampling.x")).isEqualTo("relative");
            // Seconds since the member's own first point: its last point's relative time ends the series.
            double[][] w = written.get(grouped.getLong(at + ".runId"));
            List<Double> x = grouped.getList(at + ".points.x", Double.class);
            assertThat(x.getFirst()).isBetween(0.0, longest / MAX_POINTS);
            assertThat(x.getLast()).isEqualTo(w[0][STEPS - 1]);
        }
        given().queryParam("experiment", experiment).queryParam("tag", "loss").queryParam("width", 300)
                .queryParam("x", "relative").get("/api/v1/scalars").then().statusCode(400).body("where", equalTo("x"));
        given().queryParam("experiment", experiment).queryParam("groupBy", "hparams.lr").queryParam("x", "sideways")
                .get("/api/v1/scalars").then().statusCode(400).body("where", equalTo("x"));
    }
}
