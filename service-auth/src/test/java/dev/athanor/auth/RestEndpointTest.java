package dev.athanor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestEndpointTest {

    @Path("/api/v1/runs/")
    public static class Runs {
        @GET
        public String list() {
            return "";
        }

        @GET
        @Path("/{runId}/")
        public String get(@PathParam("runId") long runId) {
            return "";
        }

        @DELETE
        @Path("{runId}")
        public void delete(@PathParam("runId") long runId) {
        }

        public String helper() {
            return "";
        }
    }

    @Test
    void everyResourceMethodIsNamedAsTheOpenApiDocumentNamesIt() {
        assertThat(RestEndpoint.allOf(List.of(Runs.class))).containsExactlyInAnyOrder(
                "GET /api/v1/runs", "GET /api/v1/runs/{runId}", "DELETE /api/v1/runs/{runId}");
    }
}
