package dev.athanor.query.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.query.querylang.Lexer;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** REST edges over real HTTP (issue 14): NUL in any parameter, and filters of the documented length by GET. */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RequestEdgesResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aNulInAnyParameterIsA400NamingIt() {
        IndexTestData data = new IndexTestData(dataSource);
        long experiment = data.experiment(IndexTestData.unique("nul"));
        long run = data.run(experiment, "a");
        // Sent percent-encoded as is: each of these reached PostgreSQL and answered 500.
        assertNul("/api/v1/runs?experiment=" + experiment + "&filter=name%20%3D%20%22a%00%22", "filter");
        assertNul("/api/v1/experiments?search=x%00y", "search");
        assertNul("/api/v1/runs/" + run + "/histograms?tag=w%00", "tag");
        assertNul("/api/v1/runs/" + run + "/assets/data?path=a%00b", "path");
        assertNul("/api/v1/scalars?run=" + run + "&tag=loss&tag=l%00ss", "tag");
        assertNul("/api/v1/export?experiment=" + experiment + "&filter=%00", "filter");
        assertNul("/api/v1/experiments/" + experiment + "%00/tags", "experimentId");
        // The same value in a JSON body: a 400 naming the body field.
        Response check = given().contentType("application/json")
                .body("{\"runs\": [" + run + "], \"assertions\": [\"metrics.loss\\u0000 < 1\"]}")
                .post("/api/v1/checks");
        assertThat(check.statusCode()).as(check.asString()).isEqualTo(400);
        assertThat(check.jsonPath().getString("where")).isEqualTo("body.assertions[0]");
        assertThat(check.jsonPath().getString("message")).contains("NUL");
        // The service keeps answering.
        given().get("/api/v1/runs/" + run).then().statusCode(200);
    }

    private static void assertNul(String pathAndQuery, String parameter) {
        Response r = given().urlEncodingEnabled(false).get(pathAndQuery);
        assertThat(r.statusCode()).as(pathAndQuery + " -> " + r.asString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.jsonPath().getString("error")).isEqualTo("BAD_REQUEST");
        assertThat(r.jsonPath().getString("where")).isEqualTo(parameter);
        assertThat(r.jsonPath().getString("message")).contains(parameter).contains("NUL");
    }

    @Test
    void aFilterOfTheDocumentedLengthFitsInAGet() {
        IndexTestData data = new IndexTestData(dataSource);
        long experiment = data.experiment(IndexTestData.unique("long-filter"));
        data.run(experiment, "a");
        data.run(experiment, "b");
        // Non-ASCII, so it percent-encodes to several times its length (9 characters per 'é' here).
        String head = "name = \"a\" or name = \"";
        String filter = head + "\u00e9".repeat(Lexer.MAX_LENGTH - head.length() - 1) + "\"";
        assertThat(filter).hasSize(Lexer.MAX_LENGTH);
        String url = "/api/v1/runs?experiment=" + experiment + "&filter="
                + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
        assertThat(url.length()).isGreaterThan(50_000);

        Response ok = given().urlEncodingEnabled(false).get(url);
        assertThat(ok.statusCode()).as(ok.asString()).isEqualTo(200);
        assertThat(ok.jsonPath().getList("items.path")).containsExactly("a");
        Response export = given().urlEncodingEnabled(false)
                .get(url.replace("/api/v1/runs?", "/api/v1/export?") + "&format=jsonl");
        assertThat(export.statusCode()).as(export.asString()).isEqualTo(200);

        // One character more is refused by the filter's own limit, as documented, not by the URL limit.
        Response tooLong = given().urlEncodingEnabled(false).get(url.replace("name%20%3D%20%22a%22", "name%20%3D%20%22ab%22"));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.jsonPath().getString("where")).isEqualTo("filter");
        assertThat(tooLong.jsonPath().getString("message")).contains("longer than " + Lexer.MAX_LENGTH);
    }

    @Test
    void aRequestTargetOverTheLimitIsAJson414SayingWhatIsTooLong() {
        String target = "/api/v1/runs?filter=" + "x".repeat(140_000);
        Response r = given().urlEncodingEnabled(false).get(target);
        assertThat(r.statusCode()).isEqualTo(414);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.jsonPath().getString("error")).isEqualTo("URI_TOO_LONG");
        assertThat(r.jsonPath().getString("message")).contains(target.length() + " characters").contains("131072");
    }
}
