package dev.athanor.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.athanor.auth.GrpcAccessEdge;
import dev.athanor.ingest.testing.PostgresResource;
import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.quarkus.arc.Arc;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Any;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every gRPC method ingest serves, listed against {@link IngestAccessRules}: the only one without a
 * rule is the test's own probe, and it is refused even to the local superuser (auth off).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class IngestAccessRulesTest {

    @GrpcClient("ingest")
    Channel channel;

    @Test
    void everyServedMethodHasARuleAndEveryRuleAMethod() {
        Set<String> served = new TreeSet<>();
        for (BindableService service : Arc.container().select(BindableService.class, Any.Literal.INSTANCE)) {
            service.bindService().getMethods().forEach(m -> served.add(m.getMethodDescriptor().getFullMethodName()));
        }
        assertThat(served).as("the methods found").contains("athanor.ingest.v1.IngestService/Upload");
        assertThat(IngestAccessRules.TABLE.unruled(served)).as("gRPC methods without an access rule")
                .containsExactly(UnruledProbeService.ECHO.getFullMethodName());
        assertThat(IngestAccessRules.TABLE.stale(served)).as("rules of methods that are gone").isEmpty();
    }

    @Test
    void aMethodWithoutARuleIsRefusedEvenWithAuthOff() {
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(channel, UnruledProbeService.ECHO, CallOptions.DEFAULT, new byte[0]));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(refused.getStatus().getDescription()).contains("has no access rule");
        // RFC 6750 puts the bearer challenge on UNAUTHENTICATED only: a refusal is no invitation to sign in.
        assertThat(refused.getTrailers()).isNotNull();
        assertThat(refused.getTrailers().containsKey(GrpcAccessEdge.WWW_AUTHENTICATE)).isFalse();
    }
}
