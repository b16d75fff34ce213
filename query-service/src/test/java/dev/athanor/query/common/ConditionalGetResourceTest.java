package dev.athanor.query.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** ETag / If-None-Match on JSON GETs: what the web UI's polling relies on. */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ConditionalGetResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void anUnchangedAnswerIs304WithoutABodyAndAChangedOneIs200WithANewTag() {
        IndexTestData data = new IndexTestData(dataSource);
        long experiment = data.experiment(IndexTestData.unique("etag"));
        data.run(experiment, "a");
        String path = "/api/v1/runs?experiment=" + experiment;

        Response first = given().get(path);
        assertThat(first.statusCode()).isEqualTo(200);
        String etag = first.header("ETag");
        assertThat(etag).matches("W/\"[A-Za-z0-9_-]{32}\"");
        assertThat(etag).as("the hash of the JSON sent").isEqualTo("W/\"" + sha256(first.asByteArray()) + "\"");
        assertThat(given().get(path).header("ETag")).as("the same answer, the same tag").isEqualTo(etag);

        Response unchanged = given().header("If-None-Match", etag).get(path);
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.asByteArray()).isEmpty();
        assertThat(given().header("If-None-Match", "\"other\", " + etag.substring(2)).get(path).statusCode())
                .as("weak comparison: the strong form of the tag matches too").isEqualTo(304);

        data.run(experiment, "b");
        Response changed = given().header("If-None-Match", etag).get(path);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        assertThat(changed.jsonPath().getList("items.path")).containsExactly("a", "b");
    }

    @Test
    void aCompressedAnswerCarriesTheSameWeakTagAndRevalidatesLikeThePlainOne() {
        IndexTestData data = new IndexTestData(dataSource);
        long experiment = data.experiment(IndexTestData.unique("etag-gzip"));
        for (int i = 0; i < 40; i++) {
            data.run(experiment, "run-" + i);
        }
        String path = "/api/v1/runs?experiment=" + experiment;
        String plain = given().header("Accept-Encoding", "identity").get(path).header("ETag");
        Response gzipped = given().header("Accept-Encoding", "gzip").get(path);
        assertThat(gzipped.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gzipped.header("ETag")).isEqualTo(plain).startsWith("W/");
        assertThat(given().header("Accept-Encoding", "gzip").header("If-None-Match", plain).get(path).statusCode()).isEqualTo(304);
    }

    private static String sha256(byte[] body) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(body);
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 32);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void errorsAndNonJsonAnswersGetNoTag() {
        Response missing = given().get("/api/v1/experiments/987654321");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.header("ETag")).isNull();

        IndexTestData data = new IndexTestData(dataSource);
        long experiment = data.experiment(IndexTestData.unique("etag-csv"));
        Response csv = given().get("/api/v1/export?format=csv&experiment=" + experiment);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.header("ETag")).isNull();
    }
}
