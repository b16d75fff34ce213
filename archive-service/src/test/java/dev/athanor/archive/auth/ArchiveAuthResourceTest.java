package dev.athanor.archive.auth;

import static dev.athanor.auth.testing.MatrixRequest.at;
import static dev.athanor.auth.testing.MatrixRequest.withBody;
import static dev.athanor.auth.testing.MatrixRow.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.archive.testing.ArchiveServiceResource;
import dev.athanor.auth.testing.AuthOnProfile;
import dev.athanor.auth.testing.BadCredential;
import dev.athanor.auth.testing.Expect;
import dev.athanor.auth.testing.MatrixCoverage;
import dev.athanor.auth.testing.MatrixRow;
import dev.athanor.auth.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The archive REST API's access matrix with really signed tokens: installation-wide endpoints need
 * the platform role, a segment's details need reader of its project (another project's segment is
 * 404). {@link #everyEndpointOfTheOpenApiDocumentIsInTheMatrix()} fails when an endpoint has no row.
 */
@QuarkusTest
@TestProfile(AuthOnProfile.class)
@QuarkusTestResource(ArchiveServiceResource.class)
class ArchiveAuthResourceTest {

    record Side(String project, long segment) {
        String token(String role) {
            return TestTokens.valid(project + "-" + role, "project:" + project + ":" + role);
        }
    }

    record Fixture(Side alpha, Side beta) {
    }

    static final List<MatrixRow<Side>> ENDPOINTS = List.of(
            row("GET", "/api/v1/archive/status", Expect.PLATFORM, s -> at("/api/v1/archive/status")),
            row("POST", "/api/v1/archive/passes", Expect.PLATFORM, s -> at("/api/v1/archive/passes")),
            row("GET", "/api/v1/archive/damage", Expect.PLATFORM, s -> at("/api/v1/archive/damage")),
            row("POST", "/api/v1/archive/scrubs", Expect.PLATFORM, s -> at("/api/v1/archive/scrubs")),
            row("GET", "/api/v1/archive/segments/{segmentId}", Expect.READ,
                    s -> at("/api/v1/archive/segments/" + s.segment())),
            row("GET", "/api/v1/projects/{project}/archive-policy", Expect.READ,
                    s -> at("/api/v1/projects/" + s.project() + "/archive-policy")),
            row("GET", "/api/v1/projects/{project}/archive-deletions", Expect.READ,
                    s -> at("/api/v1/projects/" + s.project() + "/archive-deletions")),
            row("PUT", "/api/v1/projects/{project}/archive-policy", Expect.ADMIN,
                    s -> withBody("/api/v1/projects/" + s.project() + "/archive-policy", "{}")),
            row("POST", "/api/v1/projects/{project}/experiments/{experiment}/share-links", Expect.ADMIN,
                    s -> withBody("/api/v1/projects/" + s.project() + "/experiments/exp/share-links", "{}")),
            row("GET", "/api/v1/projects/{project}/experiments/{experiment}/replication", Expect.READ,
                    s -> at("/api/v1/projects/" + s.project() + "/experiments/exp/replication")),
            row("POST", "/api/v1/projects/{project}/experiments/{experiment}/replication", Expect.ADMIN,
                    s -> withBody("/api/v1/projects/" + s.project() + "/experiments/exp/replication", "{}")));

    static Fixture fixture;

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void seed() throws SQLException {
        if (fixture == null) {
            String prefix = "archauth-" + (System.nanoTime() % 1_000_000);
            fixture = new Fixture(side(prefix + "-alpha"), side(prefix + "-beta"));
        }
    }

    /** A project with one open segment on another node (archive passes leave it alone). */
    private Side side(String project) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long run = id(c, """
                    WITH p AS (INSERT INTO project (name) VALUES (?) RETURNING id),
                         e AS (INSERT INTO experiment (project_id, name) SELECT id, 'exp' FROM p RETURNING id)
                    INSERT INTO run (experiment_id, path) SELECT id, 'run' FROM e RETURNING id""", project);
            long segment = id(c, "INSERT INTO raw_segment (run_id, relative_path, ingest_node) VALUES (" + run
                    + ", ?, 'elsewhere') RETURNING id", project + "/exp/run/events.out.tfevents.1.x");
            return new Side(project, segment);
        }
    }

    private static long id(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static Stream<Arguments> refusedCredentials() {
        List<Arguments> rows = new ArrayList<>();
        for (MatrixRow<Side> e : ENDPOINTS) {
            for (BadCredential c : BadCredential.ALL) {
                rows.add(Arguments.of(e.label() + " · " + c.label() + " → 401", e, c));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedCredentials")
    void refusedCredentialsGet401SayingWhatWasWrong(String name, MatrixRow<Side> endpoint, BadCredential credential) {
        Response response = send(endpoint, fixture.beta(), credential.header().apply(fixture.beta().project()));
        assertThat(response.statusCode()).as(name).isEqualTo(401);
        assertThat(response.jsonPath().getString("error")).isEqualTo("UNAUTHENTICATED");
        assertThat(response.jsonPath().getString("message")).contains(credential.expected());
    }

    static Stream<Arguments> denied() {
        List<Arguments> rows = new ArrayList<>();
        for (MatrixRow<Side> e : ENDPOINTS) {
            if (e.expect() == Expect.PLATFORM) {
                rows.add(Arguments.of(e.label() + " · project beta admin (no platform role) → 403", e));
            } else {
                rows.add(Arguments.of(e.label() + " · project alpha admin on project beta → 404", e));
            }
        }
        return rows.stream();
    }

    static Stream<Arguments> adminOnly() {
        return ENDPOINTS.stream().filter(e -> e.expect() == Expect.ADMIN)
                .map(e -> Arguments.of(e.label() + " · project beta writer → 403", e));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminOnly")
    void aWriterCannotManageTheProject(String name, MatrixRow<Side> endpoint) {
        Side beta = fixture.beta();
        Response response = send(endpoint, beta, "Bearer " + beta.token("writer"));
        assertThat(response.statusCode()).as(name).isEqualTo(403);
        assertThat(response.jsonPath().getString("message")).contains("admin").contains(beta.project());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denied")
    void withoutTheRoleItIsDenied(String name, MatrixRow<Side> endpoint) {
        Side beta = fixture.beta();
        if (endpoint.expect() == Expect.PLATFORM) {
            Response response = send(endpoint, beta, "Bearer " + beta.token("admin"));
            assertThat(response.statusCode()).as(name).isEqualTo(403);
            assertThat(response.jsonPath().getString("message")).contains("platform:admin");
        } else {
            Response response = send(endpoint, beta, "Bearer " + fixture.alpha().token("admin"));
            assertThat(response.statusCode()).as(name).isEqualTo(404);
            assertThat(response.jsonPath().getString("error")).isEqualTo("NOT_FOUND");
            if (!endpoint.path().contains("{project}")) {
                // (A path naming the project was written by the caller: repeating it leaks nothing.)
                assertThat(response.asString()).doesNotContain(beta.project());
            }
        }
    }

    static Stream<Arguments> allowed() {
        return ENDPOINTS.stream().map(e -> Arguments.of(e.label() + " · " + switch (e.expect()) {
            case PLATFORM -> "platform:admin → allowed";
            case READ -> "project beta reader → allowed";
            case ADMIN -> "project beta admin → allowed";
            default -> throw new IllegalStateException("no archive row expects " + e.expect());
        }, e));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allowed")
    void theRightTokenIsAllowed(String name, MatrixRow<Side> endpoint) {
        Side beta = fixture.beta();
        String token = switch (endpoint.expect()) {
            case PLATFORM -> TestTokens.valid("operator", "platform:admin");
            case READ -> beta.token("reader");
            case ADMIN -> beta.token("admin");
            default -> throw new IllegalStateException("no archive row expects " + endpoint.expect());
        };
        Response response = send(endpoint, beta, "Bearer " + token);
        assertThat(response.statusCode()).as(name + ": " + response.asString()).isNotIn(401, 403);
        // A segment without archived copies is the resource's own 404, past access control.
        assertThat(response.asString()).doesNotContain("segment " + beta.segment() + " not found")
                .doesNotContain("project " + beta.project() + " not found");
    }

    @Test
    void anEndpointWithoutARuleIsRefusedEvenToThePlatformAdmin() {
        Response response = io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + TestTokens.valid("operator", "platform:admin"))
                .get("/api/v1/test-only/unruled");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.jsonPath().getString("message")).contains("has no access rule");
    }

    @Test
    void everyEndpointOfTheOpenApiDocumentIsInTheMatrix() {
        Set<String> covered = new TreeSet<>();
        ENDPOINTS.forEach(e -> covered.add(e.operation()));
        assertThat(covered).as("endpoints of the OpenAPI document vs. rows of the archive auth matrix")
                .isEqualTo(MatrixCoverage.documentedOperations());
    }

    private static Response send(MatrixRow<Side> endpoint, Side side, String authorization) {
        return endpoint.send(side, authorization);
    }
}
