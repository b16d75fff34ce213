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
        assertThat(etag).matches("\"[A-Za-z0-9_-]{32}\"");
        assertThat(given().get(path).header("ETag")).as("the same answer, the same tag").isEqualTo(etag);

        Response unchanged = given().header("If-None-Match", etag).get(path);
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.asByteArray()).isEmpty();
        assertThat(given().header("If-None-Match", "\"other\", W/" + etag).get(path).statusCode()).isEqualTo(304);

        data.run(experiment, "b");
        Response changed = given().header("If-None-Match", etag).get(path);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        assertThat(changed.jsonPath().getList("items.path")).containsExactly("a", "b");
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
