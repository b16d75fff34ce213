package dev.athanor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** RFC 6750: the bearer challenge belongs to 401 / UNAUTHENTICATED, never to a refusal of a known caller. */
class GrpcAccessEdgeTest {

    @Test
    void onlyUnauthenticatedCarriesTheBearerChallenge() {
        assertThat(GrpcAccessEdge.trailers(Status.UNAUTHENTICATED).get(GrpcAccessEdge.WWW_AUTHENTICATE))
                .isEqualTo("Bearer realm=\"athanor\"");
        assertThat(GrpcAccessEdge.trailers(Status.PERMISSION_DENIED).containsKey(GrpcAccessEdge.WWW_AUTHENTICATE)).isFalse();
        assertThat(GrpcAccessEdge.trailers(Status.NOT_FOUND).keys()).isEmpty();
    }
}
