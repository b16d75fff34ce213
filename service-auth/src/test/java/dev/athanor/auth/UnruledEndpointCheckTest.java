package dev.athanor.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnruledEndpointCheckTest {

    private static final UnruledEndpointCheck.Served SERVED = new UnruledEndpointCheck.Served(
            List.of("GET /api/v1/runs/{runId}", "DELETE /api/v1/runs/{runId}"),
            List.of("athanor.ingest.v1.IngestService/Upload", "grpc.health.v1.Health/Check"),
            List.of("GET /api/v1/test-only/unruled"));

    /** A service's tables; {@code withoutDelete} / {@code withoutHealth} leave one entry out. */
    record Tables(boolean withoutDelete, boolean withoutHealth) implements EndpointRules {
        @Override
        public AccessRules rest() {
            AccessRule get = AccessRule.project("GET /api/v1/runs/{runId}", ProjectRole.READER);
            return withoutDelete ? AccessRules.of(get)
                    : AccessRules.of(get, AccessRule.project("DELETE /api/v1/runs/{runId}", ProjectRole.WRITER));
        }

        @Override
        public AccessRules grpc() {
            AccessRule upload = AccessRule.project("athanor.ingest.v1.IngestService/Upload", ProjectRole.WRITER);
            return withoutHealth ? AccessRules.of(upload)
                    : AccessRules.of(upload, AccessRule.signedIn("grpc.health.v1.Health/Check"));
        }
    }

    @Test
    void everyEndpointRuledStartsAndTheProbesAreLetBe() {
        assertThat(UnruledEndpointCheck.unruled(new Tables(false, false), SERVED)).isEmpty();
        assertThatCode(() -> UnruledEndpointCheck.refuseUnruled(new Tables(false, false), SERVED)).doesNotThrowAnyException();
    }

    @Test
    void aRestTableMissingOneEntryNamesThatEndpointAndRefusesToStart() {
        assertThat(UnruledEndpointCheck.unruled(new Tables(true, false), SERVED)).singleElement().asString()
                .startsWith("REST endpoint DELETE /api/v1/runs/{runId} has no access rule")
                .contains("Tables.rest()");
        assertThatThrownBy(() -> UnruledEndpointCheck.refuseUnruled(new Tables(true, false), SERVED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 endpoint(s) without an access rule")
                .hasMessageContaining("DELETE /api/v1/runs/{runId}");
    }

    @Test
    void aGrpcTableMissingOneEntryNamesThatMethod() {
        assertThat(UnruledEndpointCheck.unruled(new Tables(false, true), SERVED)).singleElement().asString()
                .startsWith("gRPC method grpc.health.v1.Health/Check has no access rule")
                .contains("Tables.grpc()");
    }

    @Test
    void aServiceWithoutRuleTablesHasEveryEndpointUnruled() {
        assertThat(UnruledEndpointCheck.unruled(null, SERVED)).hasSize(4)
                .allSatisfy(line -> assertThat(line).contains("has no EndpointRules bean"));
    }
}
