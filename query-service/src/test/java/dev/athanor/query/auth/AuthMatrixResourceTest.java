package dev.athanor.query.auth;

import static dev.athanor.auth.testing.MatrixRequest.at;
import static dev.athanor.auth.testing.MatrixRequest.withBody;
import static dev.athanor.auth.testing.MatrixRow.row;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.auth.testing.AuthOnProfile;
import dev.athanor.auth.testing.BadCredential;
import dev.athanor.auth.testing.Expect;
import dev.athanor.auth.testing.MatrixCoverage;
import dev.athanor.auth.testing.MatrixRow;
import dev.athanor.auth.testing.TestTokens;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The access matrix of every REST endpoint, with really signed tokens. Test names read as a table:
 * {@code GET /api/v1/runs/{runId} · expired token → 401}. {@link #everyEndpointOfTheOpenApiDocumentIsInTheMatrix()}
 * fails when an endpoint exists that this table does not list, so a new endpoint cannot ship
 * without its row.
 *
 * <p>Two projects, alpha and beta, each with an experiment, a run and a scalar series. "Allowed"
 * means the request got past access control (a 404 for a tag a run does not have is fine); "denied"
 * for another project's item means 404, exactly as if it did not exist.
 */
@Tag("quarkus")
@QuarkusTest
@TestProfile(AuthOnProfile.class)
@QuarkusTestResource(PostgresResource.class)
class AuthMatrixResourceTest {

    /** One project's items; {@code doomedView} is the saved view the DELETE row removes (GET and PUT use {@code view}). */
    record Side(String project, long experiment, String experimentName, long run, String runPath, long segment,
                long view, long doomedView, long rule, long doomedRule) {
        String rules() {
            return "/api/v1/projects/" + project + "/alert-rules";
        }

        String readerToken() {
            return token("reader");
        }

        String token(String role) {
            return TestTokens.valid(project + "-" + role, "project:" + project + ":" + role);
        }
    }

    record Fixture(String prefix, Side alpha, Side beta) {
    }

    static final List<MatrixRow<Side>> ENDPOINTS = List.of(
            row("GET", "/api/v1/info", "", Expect.PUBLIC, s -> at("/api/v1/info")),
            row("GET", "/api/v1/projects", "", Expect.LIST, s -> at("/api/v1/projects")),
            row("GET", "/api/v1/experiments", "", Expect.LIST,
                    s -> at("/api/v1/experiments").with("search", AuthMatrixResourceTest.fixture.prefix())),
            row("GET", "/api/v1/experiments/{experimentId}", "", Expect.READ,
                    s -> at("/api/v1/experiments/" + s.experiment())),
            row("PATCH", "/api/v1/experiments/{experimentId}", "", Expect.WRITE,
                    s -> withBody("/api/v1/experiments/" + s.experiment(), "{\"description\": \"edited\"}")),
            row("GET", "/api/v1/experiments/{experimentId}/tags", "", Expect.READ,
                    s -> at("/api/v1/experiments/" + s.experiment() + "/tags")),
            row("GET", "/api/v1/experiments/{experimentId}/hparams", "", Expect.READ,
                    s -> at("/api/v1/experiments/" + s.experiment() + "/hparams")),
            row("GET", "/api/v1/experiments/{experimentId}/hparams/sessions", "", Expect.READ,
                    s -> at("/api/v1/experiments/" + s.experiment() + "/hparams/sessions")),
            row("GET", "/api/v1/experiments/{experimentId}/hparams/groups", "", Expect.READ,
                    s -> at("/api/v1/experiments/" + s.experiment() + "/hparams/groups").with("groupBy", "status")),
            row("GET", "/api/v1/experiments/{experimentId}/compare", "", Expect.READ,
                    s -> at("/api/v1/experiments/" + s.experiment() + "/compare")
                            .with("runs", s.run() + "," + AuthMatrixResourceTest.comparedRuns.get(s.project()))),
            row("GET", "/api/v1/experiments/{experimentId}/views", "", Expect.READ,
                    s -> at("/api/v1/experiments/" + s.experiment() + "/views")),
            row("POST", "/api/v1/experiments/{experimentId}/views", "", Expect.WRITE,
                    s -> withBody("/api/v1/experiments/" + s.experiment() + "/views",
                            "{\"name\": \"saved " + System.nanoTime() + "\", \"state\": {\"smoothing\": 0.6}}")),
            row("GET", "/api/v1/experiments/{experimentId}/views/{viewId}", "", Expect.READ,
                    s -> at("/api/v1/experiments/" + s.experiment() + "/views/" + s.view())),
            row("PUT", "/api/v1/experiments/{experimentId}/views/{viewId}", "", Expect.WRITE,
                    s -> withBody("/api/v1/experiments/" + s.experiment() + "/views/" + s.view(),
                            "{\"state\": {\"smoothing\": 0.9}}")),
            row("DELETE", "/api/v1/experiments/{experimentId}/views/{viewId}", "", Expect.WRITE,
                    s -> at("/api/v1/experiments/" + s.experiment() + "/views/" + s.doomedView())),
            row("POST", "/api/v1/runs/search", "", Expect.LIST,
                    s -> withBody("/api/v1/runs/search", "{\"filter\": \"name ~ \\\"" + AuthMatrixResourceTest.fixture.prefix()
                            + "\\\"\"}")),
            row("POST", "/api/v1/runs/search", "experiment", Expect.READ,
                    s -> withBody("/api/v1/runs/search", "{\"experiment\": " + s.experiment() + "}")),
            row("GET", "/api/v1/runs/{runId}/events", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/events")),
            row("GET", "/api/v1/runs/{runId}/problems", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/problems")),
            row("GET", "/api/v1/runs", "", Expect.LIST,
                    s -> at("/api/v1/runs").with("filter", "name ~ \"" + AuthMatrixResourceTest.fixture.prefix() + "\"")),
            row("GET", "/api/v1/runs", "experiment=", Expect.READ,
                    s -> at("/api/v1/runs").with("experiment", s.experiment())),
            row("GET", "/api/v1/runs", "filter experiment =", Expect.LIST,
                    s -> at("/api/v1/runs").with("filter", "experiment = \"" + s.experimentName() + "\"")),
            row("GET", "/api/v1/runs/{runId}", "", Expect.READ, s -> at("/api/v1/runs/" + s.run())),
            row("PATCH", "/api/v1/runs/{runId}", "", Expect.WRITE,
                    s -> withBody("/api/v1/runs/" + s.run(), "{\"labels\": [\"baseline\"], \"note\": \"edited\"}")),
            row("DELETE", "/api/v1/runs/{runId}", "", Expect.WRITE,
                    s -> at("/api/v1/runs/" + doomedRun(s, false))),
            row("POST", "/api/v1/runs/{runId}/restore", "", Expect.WRITE,
                    s -> withBody("/api/v1/runs/" + doomedRun(s, true) + "/restore", null)),
            row("POST", "/api/v1/runs/{runId}/purge", "", Expect.ADMIN,
                    s -> withBody("/api/v1/runs/" + doomedRun(s, true) + "/purge", null)),
            row("POST", "/api/v1/runs/{runId}/move", "", Expect.WRITE,
                    s -> withBody("/api/v1/runs/" + doomedRun(s, false) + "/move",
                            "{\"experiment\": " + s.experiment() + "}")),
            row("DELETE", "/api/v1/experiments/{experimentId}", "", Expect.WRITE,
                    s -> at("/api/v1/experiments/" + doomedExperiment(s, false))),
            row("POST", "/api/v1/experiments/{experimentId}/restore", "", Expect.WRITE,
                    s -> withBody("/api/v1/experiments/" + doomedExperiment(s, true) + "/restore", null)),
            row("POST", "/api/v1/experiments/{experimentId}/purge", "", Expect.ADMIN,
                    s -> withBody("/api/v1/experiments/" + doomedExperiment(s, true) + "/purge", null)),
            row("GET", "/api/v1/trash", "", Expect.LIST, s -> at("/api/v1/trash")),
            row("GET", "/api/v1/runs/{runId}/tags", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/tags")),
            row("GET", "/api/v1/runs/{runId}/histograms", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/histograms").with("tag", "loss")),
            row("GET", "/api/v1/runs/{runId}/text", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/text").with("tag", "loss")),
            row("GET", "/api/v1/runs/{runId}/pr-curves", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/pr-curves").with("tag", "loss")),
            row("GET", "/api/v1/runs/{runId}/tensors", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/tensors").with("tag", "loss")),
            row("GET", "/api/v1/runs/{runId}/blobs", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/blobs").with("tag", "loss")),
            row("GET", "/api/v1/runs/{runId}/blobs/data", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/blobs/data").with("tag", "loss").with("step", 0)
                            .with("index", 0)),
            row("GET", "/api/v1/runs/{runId}/assets", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/assets")),
            row("GET", "/api/v1/runs/{runId}/assets/data", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/assets/data").with("path", "plugins/profile/x/a.trace")),
            row("GET", "/api/v1/runs/{runId}/profiles", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/profiles")),
            row("GET", "/api/v1/runs/{runId}/profiles/{session}/steps", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/profiles/x/steps")),
            row("GET", "/api/v1/runs/{runId}/profiles/{session}/ops", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/profiles/x/ops")),
            row("GET", "/api/v1/runs/{runId}/profiles/{session}/timeline", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/profiles/x/timeline")),
            row("GET", "/api/v1/runs/{runId}/profiles/{session}/memory", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/profiles/x/memory")),
            row("GET", "/api/v1/runs/{runId}/profiles/{session}/compare", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/profiles/x/compare").with("withSession", "y")),
            // B's run is checked as A's: the path names a run the caller may read, withRun the other project's
            row("GET", "/api/v1/runs/{runId}/profiles/{session}/compare", "withRun", Expect.READ,
                    s -> at("/api/v1/runs/" + (s == AuthMatrixResourceTest.fixture.beta()
                            ? AuthMatrixResourceTest.fixture.alpha() : AuthMatrixResourceTest.fixture.beta()).run()
                            + "/profiles/x/compare").with("withRun", s.run()).with("withSession", "y")),
            row("GET", "/api/v1/runs/{runId}/archive", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/archive")),
            row("GET", "/api/v1/runs/{runId}/archive/segments/{segmentId}", "", Expect.READ,
                    s -> at("/api/v1/runs/" + s.run() + "/archive/segments/" + s.segment())),
            row("POST", "/api/v1/runs/{runId}/archive/restores", "", Expect.WRITE,
                    s -> withBody("/api/v1/runs/" + s.run() + "/archive/restores", null)),
            row("GET", "/api/v1/scalars", "run=", Expect.READ,
                    s -> at("/api/v1/scalars").with("run", s.run()).with("tag", "loss")),
            row("GET", "/api/v1/scalars", "experiment=", Expect.READ,
                    s -> at("/api/v1/scalars").with("experiment", s.experiment())),
            row("GET", "/api/v1/scalars", "run= width=", Expect.READ,
                    s -> at("/api/v1/scalars").with("run", s.run()).with("tag", "loss").with("width", 800)),
            row("POST", "/api/v1/scalars", "experiment width", Expect.READ,
                    s -> withBody("/api/v1/scalars", "{\"experiment\": " + s.experiment() + ", \"width\": 800}")),
            row("GET", "/api/v1/scalars", "experiment= groupBy=", Expect.READ,
                    s -> at("/api/v1/scalars").with("experiment", s.experiment()).with("groupBy", "status")),
            row("POST", "/api/v1/scalars", "runs groupBy", Expect.READ,
                    s -> withBody("/api/v1/scalars", "{\"runs\": [" + s.run() + "], \"groupBy\": \"label:\"}")),
            row("POST", "/api/v1/scalars", "runs", Expect.READ,
                    s -> withBody("/api/v1/scalars", "{\"runs\": [" + s.run() + "], \"tags\": [\"loss\"]}")),
            row("POST", "/api/v1/scalars", "experiment", Expect.READ,
                    s -> withBody("/api/v1/scalars", "{\"experiment\": " + s.experiment() + "}")),
            row("GET", "/api/v1/export", "", Expect.READ,
                    s -> at("/api/v1/export").with("experiment", s.experiment())),
            row("POST", "/api/v1/export", "", Expect.READ,
                    s -> withBody("/api/v1/export", "{\"experiment\": " + s.experiment() + "}")),
            row("POST", "/api/v1/checks", "experiment", Expect.READ,
                    s -> withBody("/api/v1/checks", "{\"experiment\": " + s.experiment()
                            + ", \"assertions\": [\"metrics.loss@last < 10\"]}")),
            row("POST", "/api/v1/checks", "runs", Expect.READ,
                    s -> withBody("/api/v1/checks", "{\"runs\": [" + s.run()
                            + "], \"assertions\": [\"metrics.loss@last < 10\"]}")),
            row("GET", "/api/v1/projects/{project}/alert-rules", "", Expect.READ, s -> at(s.rules())),
            row("POST", "/api/v1/projects/{project}/alert-rules", "", Expect.ADMIN,
                    s -> withBody(s.rules(), "{\"name\": \"rule " + System.nanoTime() + "\", \"condition\": \"no nan in"
                            + " metrics.loss\", \"webhook\": {\"url\": \"http://127.0.0.1:9/hook\"}}")),
            row("GET", "/api/v1/projects/{project}/alert-rules/{ruleId}", "", Expect.READ,
                    s -> at(s.rules() + "/" + s.rule())),
            row("PUT", "/api/v1/projects/{project}/alert-rules/{ruleId}", "", Expect.ADMIN,
                    s -> withBody(s.rules() + "/" + s.rule(), "{\"filter\": \"label = \\\"x\\\"\"}")),
            row("DELETE", "/api/v1/projects/{project}/alert-rules/{ruleId}", "", Expect.ADMIN,
                    s -> at(s.rules() + "/" + s.doomedRule())),
            row("GET", "/api/v1/projects/{project}/alert-rules/{ruleId}/events", "", Expect.READ,
                    s -> at(s.rules() + "/" + s.rule() + "/events")),
            row("POST", "/api/v1/projects/{project}/alert-rules/{ruleId}/test", "", Expect.ADMIN,
                    s -> withBody(s.rules() + "/" + s.rule() + "/test", null)));


    static Fixture fixture;
    /** Per project, a second run beside {@link Side#run()} (a comparison takes two). */
    static final Map<String, Long> comparedRuns = new java.util.HashMap<>();
    /** For the rows that delete, restore or purge: each request gets its own item (see doomedRun). */
    static AgroalDataSource db;

    @Inject
    AgroalDataSource dataSource;

    /** A new finished run in the side's experiment, in the trash or not, for one destructive request. */
    static long doomedRun(Side side, boolean trashed) {
        IndexTestData data = new IndexTestData(db);
        long run = data.run(side.experiment(), IndexTestData.unique("doomed"), "FINISHED", null, "{}");
        if (trashed) {
            data.execute("UPDATE run SET trashed_at = now(), trashed_by = 'seed' WHERE id = ?", run);
        }
        return run;
    }

    /** A new experiment of the side's project with one run, in the trash or not. */
    static long doomedExperiment(Side side, boolean trashed) {
        IndexTestData data = new IndexTestData(db);
        String name = IndexTestData.unique("doomed");
        data.execute("INSERT INTO experiment (project_id, name) SELECT id, ? FROM project WHERE name = ?", name,
                side.project());
        long experiment = insertId("SELECT id FROM experiment WHERE name = ?", name);
        data.run(experiment, "r", "FINISHED", null, "{}");
        if (trashed) {
            data.execute("UPDATE experiment SET trashed_at = now() WHERE id = ?", experiment);
            data.execute("UPDATE run SET trashed_at = now(), trashed_with_experiment = true WHERE experiment_id = ?",
                    experiment);
        }
        return experiment;
    }

    @BeforeEach
    void seed() {
        db = dataSource;
        if (fixture == null) {
            String prefix = IndexTestData.unique("authmx");
            fixture = new Fixture(prefix, side(prefix, "alpha"), side(prefix, "beta"));
        }
    }

    private Side side(String prefix, String name) {
        String project = prefix + "-" + name;
        IndexTestData data = new IndexTestData(dataSource);
        data.execute("INSERT INTO project (name) VALUES (?)", project);
        long experiment = insertId("INSERT INTO experiment (project_id, name, description) SELECT id, ?, 'auth' "
                + "FROM project WHERE name = ? RETURNING id", project + "-exp", project);
        String runPath = project + "-run";
        long run = data.run(experiment, runPath);
        data.scalarSeries(run, "loss", new double[] {3, 2, 1}, 1000);
        long segment = data.segmentRow(run, project + "/" + runPath + "/events.out.tfevents.1.test");
        comparedRuns.put(project, data.run(experiment, runPath + "-twin"));
        // What GET /api/v1/trash lists for the project.
        data.execute("UPDATE run SET trashed_at = now(), trashed_by = 'seed' WHERE id = ?",
                data.run(experiment, runPath + "-trashed"));
        String view = "INSERT INTO saved_view (experiment_id, name, state, created_by, updated_by)"
                + " VALUES (?::bigint, ?, '{}', 'seed', 'seed') RETURNING id";
        String rule = "INSERT INTO alert_rule (project_id, name, condition, kind, webhook_url, webhook_format, created_by,"
                + " updated_by) SELECT id, ?, 'no nan in metrics.loss', 'CHANGE', 'http://127.0.0.1:9/hook', 'json', 'seed',"
                + " 'seed' FROM project WHERE name = ? RETURNING id";
        return new Side(project, experiment, project + "-exp", run, runPath, segment,
                insertId(view, Long.toString(experiment), "kept"), insertId(view, Long.toString(experiment), "doomed"),
                insertId(rule, "kept", project), insertId(rule, "doomed", project));
    }

    private static long visibleExperiments(Side side) {
        return insertId("SELECT count(*) FROM experiment e JOIN project p ON p.id = e.project_id"
                + " WHERE e.trashed_at IS NULL AND p.name = ?", side.project());
    }

    private static long insertId(String sql, String... params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the matrix ----

    static Stream<Arguments> refusedCredentials() {
        List<Arguments> rows = new ArrayList<>();
        for (MatrixRow<Side> e : ENDPOINTS) {
            if (e.expect() == Expect.PUBLIC) {
                continue;
            }
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
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        JsonPath json = response.jsonPath();
        assertThat(json.getString("error")).isEqualTo("UNAUTHENTICATED");
        assertThat(json.getString("message")).contains(credential.expected());
        assertThat(response.asString()).doesNotContain("at io.").doesNotContain("at dev.").doesNotContain("Exception");
    }

    static Stream<Arguments> otherProjects() {
        return ENDPOINTS.stream().filter(e -> e.expect() != Expect.PUBLIC).map(e -> Arguments.of(e.label() + " · "
                + (e.expect() != Expect.LIST ? "project alpha token on project beta's item → 404"
                : "project alpha token → project beta's items left out"), e));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherProjects")
    void anotherProjectsDataIsInvisible(String name, MatrixRow<Side> endpoint) {
        Side beta = fixture.beta();
        Response response = send(endpoint, beta, "Bearer " + fixture.alpha().token("admin"));
        if (endpoint.expect() != Expect.LIST) {
            assertThat(response.statusCode()).as(name).isEqualTo(404);
            assertThat(response.jsonPath().getString("message")).contains("not found");
        } else {
            assertThat(response.statusCode()).as(name).isEqualTo(200);
        }
        assertThat(response.asString()).doesNotContain(beta.project()).doesNotContain(beta.runPath());
    }

    static Stream<Arguments> rightTokens() {
        return ENDPOINTS.stream().map(e -> Arguments.of(e.label() + " · " + switch (e.expect()) {
            case PUBLIC -> "no token → 200";
            case WRITE -> "project beta writer token → allowed";
            case ADMIN -> "project beta admin token → allowed";
            default -> "project beta reader token → allowed";
        }, e));
    }

    static Stream<Arguments> writes() {
        return ENDPOINTS.stream().filter(e -> e.expect() == Expect.WRITE || e.expect() == Expect.ADMIN)
                .map(e -> Arguments.of(e.label() + " · project beta reader token → 403", e));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void aReaderCannotWrite(String name, MatrixRow<Side> endpoint) {
        Side beta = fixture.beta();
        Response response = send(endpoint, beta, "Bearer " + beta.readerToken());
        assertThat(response.statusCode()).as(name).isEqualTo(403);
        assertThat(response.jsonPath().getString("error")).isEqualTo("PERMISSION_DENIED");
        // Either role the reader lacks may be named: a purge is refused at the writer check before
        // its admin check; alert rules are admin-only from the start.
        assertThat(response.jsonPath().getString("message")).containsPattern(
                endpoint.expect() == Expect.ADMIN ? "writer|admin" : "writer").contains(beta.project());
    }

    static Stream<Arguments> adminActions() {
        return ENDPOINTS.stream().filter(e -> e.expect() == Expect.ADMIN)
                .map(e -> Arguments.of(e.label() + " · project beta writer token → 403", e, "writer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminActions")
    void onlyAnAdminManages(String name, MatrixRow<Side> endpoint, String role) {
        Side beta = fixture.beta();
        Response response = send(endpoint, beta, "Bearer " + beta.token(role));
        assertThat(response.statusCode()).as(name).isEqualTo(403);
        assertThat(response.jsonPath().getString("error")).isEqualTo("PERMISSION_DENIED");
        assertThat(response.jsonPath().getString("message")).contains("admin").contains(beta.project());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rightTokens")
    void theRightTokenIsAllowed(String name, MatrixRow<Side> endpoint) {
        Side beta = fixture.beta();
        String header = switch (endpoint.expect()) {
            case PUBLIC -> null;
            case WRITE -> "Bearer " + beta.token("writer");
            case ADMIN -> "Bearer " + beta.token("admin");
            default -> "Bearer " + beta.readerToken();
        };
        Response response = send(endpoint, beta, header);
        assertThat(response.statusCode()).as(name + ": " + response.asString()).isNotIn(401, 403);
        String body = response.asString();
        assertThat(body).doesNotContain("run " + beta.run() + " not found")
                .doesNotContain("segment " + beta.segment() + " not found")
                .doesNotContain("experiment " + beta.experiment() + " not found")
                .doesNotContain("runs not found");
        if (endpoint.expect() == Expect.LIST) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(body).contains(endpoint.path().equals("/api/v1/runs") ? beta.runPath() : beta.project());
        } else if (endpoint.expect() == Expect.READ && !endpoint.path().startsWith("/api/v1/runs/{runId}/")) {
            // Sub-resources of a run may answer 404 for a tag or copy the seeded run lacks.
            assertThat(response.statusCode()).as(name + ": " + body).isEqualTo(200);
        }
    }

    // ---- coverage: every endpoint of the OpenAPI document has rows ----

    @Test
    void anEndpointWithoutARuleIsRefusedEvenToTheProjectsAdmin() {
        Side beta = fixture.beta();
        given().header("Authorization", "Bearer " + beta.token("admin"))
                .delete("/api/v1/test-only/unruled/runs/" + beta.run()).then().statusCode(403)
                .body("error", org.hamcrest.Matchers.equalTo("PERMISSION_DENIED"))
                .body("message", org.hamcrest.Matchers.containsString("has no access rule"));
    }

    @Test
    void everyEndpointOfTheOpenApiDocumentIsInTheMatrix() {
        Set<String> documented = MatrixCoverage.documentedOperations();
        Set<String> covered = new TreeSet<>();
        ENDPOINTS.forEach(e -> covered.add(e.operation()));
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(covered);
        assertThat(missing).as("endpoints without rows in the auth matrix (add them to ENDPOINTS)").isEmpty();
        Set<String> stale = new TreeSet<>(covered);
        stale.removeAll(documented);
        assertThat(stale).as("rows for endpoints that no longer exist").isEmpty();
    }

    @Test
    void projectsListsTheCallersProjectsWithTheirRoles() {
        String token = TestTokens.valid("both", "project:" + fixture.alpha().project() + ":writer",
                "project:" + fixture.beta().project() + ":reader", "project:not-yet-created:admin", "offline_access");
        JsonPath json = given().header("Authorization", "Bearer " + token).get("/api/v1/projects")
                .then().statusCode(200).extract().jsonPath();
        assertThat(json.getBoolean("superuser")).isFalse();
        assertThat(json.getString("user")).isEqualTo("both");
        assertThat(json.getList("items.name")).containsExactly(fixture.alpha().project(), fixture.beta().project(),
                "not-yet-created");
        assertThat(json.getList("items.role")).containsExactly("writer", "reader", "admin");
        // The seeded experiment, and the ones rows of the matrix created to delete (some refused, so still listed).
        assertThat(json.getList("items.experiments", Integer.class)).containsExactly(
                (int) visibleExperiments(fixture.alpha()), (int) visibleExperiments(fixture.beta()), 0);
        assertThat(visibleExperiments(fixture.alpha())).isPositive();
        assertThat(json.getList("items[0].roles")).containsExactly("reader", "writer");
    }

    @Test
    void anotherProjectsSegmentUnderAnOwnRunIsNotFound() {
        Side alpha = fixture.alpha();
        given().header("Authorization", "Bearer " + alpha.token("admin"))
                .get("/api/v1/runs/" + alpha.run() + "/archive/segments/" + fixture.beta().segment())
                .then().statusCode(404)
                .body("message", org.hamcrest.Matchers.equalTo("segment " + fixture.beta().segment() + " not found"));
    }

    @Test
    void aTokenWithoutProjectRolesSeesNothing() {
        String token = TestTokens.valid("nobody");
        given().header("Authorization", "Bearer " + token).queryParam("search", AuthMatrixResourceTest.fixture.prefix())
                .get("/api/v1/experiments").then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(0));
        given().header("Authorization", "Bearer " + token).get("/api/v1/runs/" + fixture.alpha().run())
                .then().statusCode(404);
    }

    private static Response send(MatrixRow<Side> endpoint, Side side, String authorization) {
        return endpoint.send(side, authorization);
    }
}
