package dev.athanor.ingest.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.ingest.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The headroom check is part of readiness and reports what it measured. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class WriteHeadroomReadinessTest {

    @TestHTTPResource("/q/health/ready")
    URI ready;

    @Test
    void readinessCarriesTheWriteHeadroomCheck() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(ready).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = new ObjectMapper().readTree(response.body());
        JsonNode check = null;
        for (JsonNode c : body.path("checks")) {
            if (c.path("name").asText().equals("write-headroom")) {
                check = c;
            }
        }
        assertThat(check).as(response.body()).isNotNull();
        assertThat(check.path("status").asText()).isEqualTo("UP");
        assertThat(check.path("data").path("usableBytes").asLong()).isPositive();
        assertThat(check.path("data").path("maxOpenFiles").asLong()).isPositive();
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
