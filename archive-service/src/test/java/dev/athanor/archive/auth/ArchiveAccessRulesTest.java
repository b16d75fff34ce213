package dev.athanor.archive.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.athanor.archive.testing.ArchiveServiceResource;
import dev.athanor.auth.testing.ServedEndpoints;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Every JAX-RS resource method the archive serves, listed against {@link ArchiveAccessRules}: the only
 * one without a rule is the test's own probe, and it is refused even to the local superuser (auth off).
 */
@QuarkusTest
@QuarkusTestResource(ArchiveServiceResource.class)
class ArchiveAccessRulesTest {

    @Test
    void everyServedEndpointHasARuleAndEveryRuleAnEndpoint() {
        ServedEndpoints.assertEveryEndpointRuled(ArchiveAccessRules.TABLE, "GET /api/v1/archive/status",
                UnruledProbeResource.ENDPOINT);
    }

    @Test
    void anEndpointWithoutARuleIsRefusedEvenWithAuthOff() {
        given().get("/api/v1/test-only/unruled").then().statusCode(403)
                .body("error", equalTo("PERMISSION_DENIED"))
                .body("message", containsString("has no access rule"));
    }
}
