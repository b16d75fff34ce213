package dev.athanor.archive.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.archive.testing.ArchiveServiceResource;
import dev.athanor.auth.testing.AuthOnProfile;
import dev.athanor.auth.testing.BadCredential;
import dev.athanor.auth.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
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

    enum Kind {
        /** the whole installation: platform:admin */
        PLATFORM,
        /** a project's item or the project itself: reader (GET) of it */
        ITEM,
        /** changes a project's settings or shares its data: admin of it */
        ADMIN
    }

    record Endpoint(String method, String path, Kind kind, Function<Side, String> concretePath, String body) {
        Endpoint(String method, String path, Kind kind, Function<Side, String> concretePath) {
            this(method, path, kind, concretePath, null);
        }

        String label() {
            return method + " " + path;
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/api/v1/archive/status", Kind.PLATFORM, s -> "/api/v1/archive/status"),
            new Endpoint("POST", "/api/v1/archive/passes", Kind.PLATFORM, s -> "/api/v1/archive/passes"),
            new Endpoint("GET", "/api/v1/archive/damage", Kind.PLATFORM, s -> "/api/v1/archive/damage"),
            new Endpoint("POST", "/api/v1/archive/scrubs", Kind.PLATFORM, s -> "/api/v1/archive/scrubs"),
            new Endpoint("GET", "/api/v1/archive/segments/{segmentId}", Kind.ITEM,
                    s -> "/api/v1/archive/segments/" + s.segment()),
            new Endpoint("GET", "/api/v1/projects/{project}/archive-policy", Kind.ITEM,
                    s -> "/api/v1/projects/" + s.project() + "/archive-policy"),
            new Endpoint("GET", "/api/v1/projects/{project}/archive-deletions", Kind.ITEM,
                    s -> "/api/v1/projects/" + s.project() + "/archive-deletions"),
            new Endpoint("PUT", "/api/v1/projects/{project}/archive-policy", Kind.ADMIN,
                    s -> "/api/v1/projects/" + s.project() + "/archive-policy", "{}"),
            new Endpoint("POST", "/api/v1/projects/{project}/experiments/{experiment}/share-links", Kind.ADMIN,
                    s -> "/api/v1/projects/" + s.project() + "/experiments/exp/share-links", "{}"),
            new Endpoint("GET", "/api/v1/projects/{project}/experiments/{experiment}/replication", Kind.ITEM,
                    s -> "/api/v1/projects/" + s.project() + "/experiments/exp/replication"),
            new Endpoint("POST", "/api/v1/projects/{project}/experiments/{experiment}/replication", Kind.ADMIN,
                    s -> "/api/v1/projects/" + s.project() + "/experiments/exp/replication", "{}"));

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
        for (Endpoint e : ENDPOINTS) {
            for (BadCredential c : BadCredential.ALL) {
                rows.add(Arguments.of(e.label() + " · " + c.label() + " → 401", e, c));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedCredentials")
    void refusedCredentialsGet401SayingWhatWasWrong(String name, Endpoint endpoint, BadCredential credential) {
        Response response = send(endpoint, fixture.beta(), credential.header().apply(fixture.beta().project()));
        assertThat(response.statusCode()).as(name).isEqualTo(401);
        assertThat(response.jsonPath().getString("error")).isEqualTo("UNAUTHENTICATED");
        assertThat(response.jsonPath().getString("message")).contains(credential.expected());
    }

    static Stream<Arguments> denied() {
        List<Arguments> rows = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            if (e.kind() == Kind.PLATFORM) {
                rows.add(Arguments.of(e.label() + " · project beta admin (no platform role) → 403", e));
            } else {
                rows.add(Arguments.of(e.label() + " · project alpha admin on project beta → 404", e));
            }
        }
        return rows.stream();
    }

    static Stream<Arguments> adminOnly() {
        return ENDPOINTS.stream().filter(e -> e.kind() == Kind.ADMIN)
                .map(e -> Arguments.of(e.label() + " · project beta writer → 403", e));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminOnly")
    void aWriterCannotManageTheProject(String name, Endpoint endpoint) {
        Side beta = fixture.beta();
        Response response = send(endpoint, beta, "Bearer " + beta.token("writer"));
        assertThat(response.statusCode()).as(name).isEqualTo(403);
        assertThat(response.jsonPath().getString("message")).contains("admin").contains(beta.project());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denied")
    void withoutTheRoleItIsDenied(String name, Endpoint endpoint) {
        Side beta = fixture.beta();
        if (endpoint.kind() == Kind.PLATFORM) {
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
        return ENDPOINTS.stream().map(e -> Arguments.of(e.label() + " · " + switch (e.kind()) {
            case PLATFORM -> "platform:admin → allowed";
            case ITEM -> "project beta reader → allowed";
            case ADMIN -> "project beta admin → allowed";
        }, e));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allowed")
    void theRightTokenIsAllowed(String name, Endpoint endpoint) {
        Side beta = fixture.beta();
        String token = switch (endpoint.kind()) {
            case PLATFORM -> TestTokens.valid("operator", "platform:admin");
            case ITEM -> beta.token("reader");
            case ADMIN -> beta.token("admin");
        };
        Response response = send(endpoint, beta, "Bearer " + token);
        assertThat(response.statusCode()).as(name + ": " + response.asString()).isNotIn(401, 403);
        // A segment without archived copies is the resource's own 404, past access control.
        assertThat(response.asString()).doesNotContain("segment " + beta.segment() + " not found")
                .doesNotContain("project " + beta.project() + " not found");
    }

    @Test
    void everyEndpointOfTheOpenApiDocumentIsInTheMatrix() {
        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet().forEach(method -> {
            if (Set.of("get", "post", "put", "delete", "patch").contains(method)) {
                documented.add(method.toUpperCase() + " " + path);
            }
        }));
        Set<String> covered = new TreeSet<>();
        ENDPOINTS.forEach(e -> covered.add(e.label()));
        assertThat(covered).as("endpoints of the OpenAPI document vs. rows of the archive auth matrix")
                .isEqualTo(documented);
    }

    private static Response send(Endpoint endpoint, Side side, String authorization) {
        RequestSpecification spec = given();
        if (authorization != null) {
            spec.header("Authorization", authorization);
        }
        String path = endpoint.concretePath().apply(side);
        if (endpoint.body() != null) {
            spec.contentType("application/json").body(endpoint.body());
        }
        return switch (endpoint.method()) {
            case "POST" -> spec.post(path);
            case "PUT" -> spec.put(path);
            default -> spec.get(path);
        };
    }
}
