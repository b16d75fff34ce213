package dev.athanor.query.scalars;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Run groups on /api/v1/scalars: a generated sweep of 4 learning rates × 5 seeds, 1000 steps each.
 * A group's mean/std/median/min–max at every bucket must equal what is computed here from the
 * members' own (ungrouped) series read through the same endpoint with the same maxPoints.
 */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ScalarGroupResourceTest {

    static final double[] LRS = {0.1, 0.003, 0.03, 0.0003};
    /** Chunking differs per setting, so folded, split and read-whole chunks are all exercised. */
    static final int[] CHUNK = {7, 64, 1000, 250};
    static final int SEEDS = 5;
    static final int STEPS = 1000;

    @Inject
    AgroalDataSource dataSource;

    long experiment;
    final Map<Double, List<Long>> runsByLr = new LinkedHashMap<>();

    @BeforeEach
    void sweep() {
        IndexTestData data = new IndexTestData(dataSource);
        experiment = data.experiment(IndexTestData.unique("groups"));
        runsByLr.clear();
        for (int l = 0; l < LRS.length; l++) {
            for (int seed = 0; seed < SEEDS; seed++) {
                long run = data.run(experiment, "lr" + plain(LRS[l]) + "_seed" + seed, "FINISHED", null,
                        "{\"lr\": " + LRS[l] + ", \"seed\": " + seed + "}");
                double[] values = new double[STEPS];
                for (int step = 0; step < STEPS; step++) {
                    values[step] = LRS[l] * 100 + Math.sin(step * 0.01 + seed) * (seed + 1) + (step % 17) * 0.01 * seed;
                }
                if (l == 0 && seed == 2) {
                    values[500] = Double.NaN;  // a non-finite member value is left out of its bucket
                }
                data.scalarSeries(run, "loss", values, CHUNK[l]);
                runsByLr.computeIfAbsent(LRS[l], k -> new ArrayList<>()).add(run);
            }
        }
    }

    @Test
    void oneGroupPerSettingWithFiveMembersAndMeanStdFromTheMembersOwnSeries() {
        JsonPath grouped = given().queryParam("experiment", experiment).queryParam("tag", "loss")
                .queryParam("maxPoints", 100).queryParam("groupBy", "hparams.lr").get("/api/v1/scalars")
                .then().statusCode(200).extract().jsonPath();
        assertThat(grouped.getString("grouping.groupBy")).isEqualTo("hparams.lr");
        assertThat(grouped.getString("grouping.aggregate")).isEqualTo("mean");
        assertThat(grouped.getString("grouping.band")).isEqualTo("std");
        assertThat(grouped.getString("grouping.memberValue")).isEqualTo("last");
        assertThat(grouped.getList("series")).isEmpty();
        // Keys in numeric order, each with its 5 seeds in natural name order.
        assertThat(grouped.getList("groups.key", Float.class)).containsExactly(0.0003f, 0.003f, 0.03f, 0.1f);
        for (int g = 0; g < LRS.length; g++) {
            String at = "groups[" + g + "]";
            double lr = grouped.getDouble(at + ".key");
            List<Long> members = grouped.getList(at + ".runIds", Long.class);
            assertThat(members).containsExactlyElementsOf(runsByLr.get(lr));
            assertThat(grouped.getList(at + ".runs", String.class))
                    .allMatch(r -> r.startsWith("lr" + plain(lr) + "_seed")).isSorted();
            assertThat(grouped.getList(at + ".series.tag")).containsExactly("loss");
            assertAggregates(grouped, at + ".series[0].points", members, "mean", "std");
        }
    }

    @Test
    void medianAndMinMaxToo() {
        JsonPath grouped = given().contentType(ContentType.JSON)
                .body("{\"experiment\": " + experiment + ", \"tags\": [\"loss\"], \"maxPoints\": 37,"
                        + " \"groupBy\": \"regex:^lr([0-9.]+)_\", \"aggregate\": \"median\", \"band\": \"minmax\","
                        + " \"members\": true}")
                .post("/api/v1/scalars").then().statusCode(200).extract().jsonPath();
        assertThat(grouped.getList("groups.name")).containsExactly("0.0003", "0.003", "0.03", "0.1");
        assertThat(grouped.getList("series")).hasSize(20);
        assertThat(grouped.getList("series[0].buckets")).isNotEmpty();
        for (int g = 0; g < LRS.length; g++) {
            List<Long> members = grouped.getList("groups[" + g + "].runIds", Long.class);
            assertThat(members).hasSize(SEEDS);
            assertAggregates(grouped, "groups[" + g + "].series[0].points", members, "median", "minmax", 37);
        }
    }

    @Test
    void groupsByLabelAndAttributeAndRefusesBadGroupings() {
        long labelled = runsByLr.get(0.1).get(0);
        given().contentType(ContentType.JSON).body("{\"labels\": [\"baseline\"]}").patch("/api/v1/runs/" + labelled)
                .then().statusCode(200);
        JsonPath byLabel = given().queryParam("experiment", experiment).queryParam("tag", "loss")
                .queryParam("maxPoints", 50).queryParam("groupBy", "label:baseline").get("/api/v1/scalars")
                .then().statusCode(200).extract().jsonPath();
        assertThat(byLabel.getList("groups.name")).containsExactly("baseline", "(none)");
        assertThat(byLabel.getList("groups[0].runIds", Long.class)).containsExactly(labelled);
        assertThat(byLabel.getList("groups[1].runIds")).hasSize(19);
        assertThat(byLabel.getList("groups[0].series[0].points.low")).allMatch(v -> v == null);

        given().queryParam("experiment", experiment).queryParam("groupBy", "status").queryParam("maxPoints", 10)
                .get("/api/v1/scalars").then().statusCode(200)
                .body("groups.key", org.hamcrest.Matchers.contains("finished"))
                .body("groups[0].series[0].points.count[0]", equalTo(20));

        given().queryParam("experiment", experiment).queryParam("groupBy", "regex:lr(.*)_seed(.)")
                .get("/api/v1/scalars").then().statusCode(400).body("where", equalTo("groupBy"))
                .body("message", containsString("exactly one capture group"));
        given().queryParam("experiment", experiment).queryParam("groupBy", "regex:(a")
                .get("/api/v1/scalars").then().statusCode(400).body("where", equalTo("groupBy"));
        given().queryParam("experiment", experiment).queryParam("groupBy", "flavour")
                .get("/api/v1/scalars").then().statusCode(400).body("where", equalTo("groupBy"));
        given().queryParam("experiment", experiment).queryParam("groupBy", "hparams.lr").queryParam("aggregate", "mode")
                .get("/api/v1/scalars").then().statusCode(400).body("where", equalTo("aggregate"));
        given().queryParam("experiment", experiment).queryParam("groupBy", "hparams.lr").queryParam("band", "iqr")
                .get("/api/v1/scalars").then().statusCode(400).body("where", equalTo("band"));
        given().queryParam("experiment", experiment).queryParam("groupBy", "hparams.lr").queryParam("x", "wall_time")
                .get("/api/v1/scalars").then().statusCode(400).body("where", equalTo("x"));
        given().queryParam("experiment", experiment).queryParam("band", "std")
                .get("/api/v1/scalars").then().statusCode(400).body("where", equalTo("band"));
    }

    private static void assertAggregates(JsonPath grouped, String points, List<Long> members, String center, String band) {
        assertAggregates(grouped, points, members, center, band, 100);
    }

    /** Reads each member alone through the same endpoint and recomputes the group's buckets. */
    private static void assertAggregates(JsonPath grouped, String points, List<Long> members, String center,
                                         String band, int maxPoints) {
        List<List<Object>> memberValues = new ArrayList<>();
        List<List<Float>> memberX = new ArrayList<>();
        for (long run : members) {
            JsonPath own = given().queryParam("run", run).queryParam("tag", "loss").queryParam("maxPoints", maxPoints)
                    .get("/api/v1/scalars").then().statusCode(200).extract().jsonPath();
            assertThat(own.getString("series[0].sampling.method")).isEqualTo("buckets");
            memberValues.add(own.getList("series[0].points.value"));
            memberX.add(own.getList("series[0].points.x", Float.class));
        }
        List<Float> x = grouped.getList(points + ".x", Float.class);
        List<Object> mid = grouped.getList(points + ".center");
        List<Object> low = grouped.getList(points + ".low");
        List<Object> high = grouped.getList(points + ".high");
        List<Integer> count = grouped.getList(points + ".count", Integer.class);
        List<Integer> nonFinite = grouped.getList(points + ".nonFinite", Integer.class);
        assertThat(x).hasSameSizeAs(memberX.get(0)).isEqualTo(memberX.get(0));
        int nanBuckets = 0;
        for (int i = 0; i < x.size(); i++) {
            List<Double> v = new ArrayList<>();
            for (List<Object> m : memberValues) {
                if (m.get(i) instanceof Number n) {
                    v.add(n.doubleValue());
                }
            }
            nanBuckets += nonFinite.get(i);
            assertThat(count.get(i)).as("bucket %d count", i).isEqualTo(v.size());
            assertThat(count.get(i) + nonFinite.get(i)).isEqualTo(members.size());
            double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
            double c = center.equals("mean") ? Arrays.stream(a).average().orElseThrow() : median(a);
            assertThat(num(mid.get(i))).as("bucket %d %s", i, center).isCloseTo(c, within(1e-4));
            if (band.equals("std")) {
                double m = Arrays.stream(a).average().orElseThrow();
                double sd = Math.sqrt(Arrays.stream(a).map(d -> (d - m) * (d - m)).sum() / (a.length - 1));
                assertThat(num(low.get(i))).as("bucket %d low", i).isCloseTo(c - sd, within(1e-4));
                assertThat(num(high.get(i))).as("bucket %d high", i).isCloseTo(c + sd, within(1e-4));
            } else {
                assertThat(num(low.get(i))).isCloseTo(Arrays.stream(a).min().orElseThrow(), within(1e-4));
                assertThat(num(high.get(i))).isCloseTo(Arrays.stream(a).max().orElseThrow(), within(1e-4));
            }
        }
        assertThat(nanBuckets).isLessThanOrEqualTo(1);
    }

    private static String plain(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
