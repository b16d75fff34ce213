package dev.athanor.query.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.athanor.auth.UnruledEndpointCheck;
import dev.athanor.auth.testing.ServedEndpoints;
import dev.athanor.query.common.auth.DataProviderAccessRules;
import dev.athanor.query.common.auth.QueryAccessRules;
import dev.athanor.query.common.auth.QueryEndpointRules;
import dev.athanor.query.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every JAX-RS resource method query-service serves, listed against {@link QueryAccessRules}: the only
 * ones without a rule are the test's own probes, and they are refused even to the local superuser
 * (auth off), so an endpoint added without a rule is closed.
 */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class QueryAccessRulesTest {

    @Test
    void everyServedEndpointHasARuleAndEveryRuleAnEndpoint() {
        ServedEndpoints.assertEveryEndpointRuled(QueryAccessRules.TABLE, "GET /api/v1/runs/{runId}",
                UnruledProbeResource.GET, UnruledProbeResource.DELETE_RUN);
    }

    @Test
    void everyServedGrpcMethodHasARuleAndEveryRuleAMethod() {
        UnruledEndpointCheck.Served served = UnruledEndpointCheck.served();
        assertThat(served.grpc()).as("the gRPC methods found").contains("tensorboard.data.TensorBoardDataProvider/ReadScalars");
        assertThat(DataProviderAccessRules.TABLE.unruled(served.grpc())).as("gRPC methods without an access rule").isEmpty();
        assertThat(DataProviderAccessRules.TABLE.stale(served.grpc())).as("rules of methods that are gone").isEmpty();
        assertThat(served.probes()).as("the test's probes, let start").contains(UnruledProbeResource.GET);
        assertThat(UnruledEndpointCheck.unruled(new QueryEndpointRules(), served)).as("what the start-up check reports")
                .isEmpty();
    }

    @Test
    void anEndpointWithoutARuleIsRefusedEvenWithAuthOff() {
        given().get("/api/v1/test-only/unruled").then().statusCode(403)
                .body("error", equalTo("PERMISSION_DENIED"))
                .body("message", containsString("has no access rule"));
        given().delete("/api/v1/test-only/unruled/runs/1").then().statusCode(403)
                .body("message", containsString(UnruledProbeResource.DELETE_RUN));
    }
}
