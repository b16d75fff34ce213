package dev.athanor.query.experiments;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ExperimentResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void listsGetsAndPages() {
        IndexTestData data = new IndexTestData(dataSource);
        String prefix = IndexTestData.unique("paging");
        long a = data.experiment(prefix + "-a");
        data.experiment(prefix + "-b");
        data.experiment(prefix + "-c");
        data.run(a, "r1");
        data.run(a, "r2");

        given().queryParam("search", prefix).queryParam("limit", 2).get("/api/v1/experiments")
                .then().statusCode(200)
                .body("total", equalTo(3)).body("items.name", hasItems(prefix + "-a", prefix + "-b"))
                .body("nextOffset", equalTo(2));
        given().queryParam("search", prefix).queryParam("limit", 2).queryParam("offset", 2).get("/api/v1/experiments")
                .then().statusCode(200)
                .body("items.name", hasItems(prefix + "-c")).body("nextOffset", nullValue());
        given().queryParam("search", prefix).queryParam("sort", "-name").queryParam("limit", 1).get("/api/v1/experiments")
                .then().statusCode(200).body("items[0].name", equalTo(prefix + "-c"));

        given().get("/api/v1/experiments/" + a).then().statusCode(200)
                .body("name", equalTo(prefix + "-a")).body("runCount", equalTo(2)).body("project", equalTo("default"))
                .body("createdAt", notNullValue());
    }

    @Test
    void errorsAreJsonWithoutStackTraces() {
        given().get("/api/v1/experiments/987654321").then().statusCode(404)
                .body("error", equalTo("NOT_FOUND")).body("message", containsString("experiment 987654321 not found"));
        given().queryParam("limit", 100000).get("/api/v1/experiments").then().statusCode(400)
                .body("where", equalTo("limit")).body("message", containsString("between 1 and 1000"));
        given().queryParam("sort", "color").get("/api/v1/experiments").then().statusCode(400)
                .body("where", equalTo("sort"));
        given().get("/api/v1/experiments/not-a-number").then().statusCode(404)
                .body(not(containsString("at dev.athanor")));
    }

    @Test
    void healthAndOpenApiAreServed() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/runs"));
        given().get("/q/swagger-ui/").then().statusCode(200);
        given().get("/api/v1/scalars").then().statusCode(400); // the scalar read path registers its meters
        given().get("/q/metrics").then().statusCode(200).body(containsString("athanor_query_scalar_chunks"));
    }
}
