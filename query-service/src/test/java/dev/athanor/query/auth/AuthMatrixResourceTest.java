package dev.athanor.query.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.auth.testing.AuthOnProfile;
import dev.athanor.auth.testing.BadCredential;
import dev.athanor.auth.testing.TestTokens;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
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

    /** One project's seeded items. */
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

    /** A request aimed at one side's items. */
    record Req(String path, Map<String, Object> query, String body) {
        static Req get(String path) {
            return new Req(path, Map.of(), null);
        }

        Req with(String name, Object value) {
            Map<String, Object> q = new LinkedHashMap<>(query);
            q.put(name, value);
            return new Req(path, q, body);
        }

        static Req post(String path, String body) {
            return new Req(path, Map.of(), body);
        }

        static Req patch(String path, String body) {
            return new Req(path, Map.of(), body);
        }
    }

    enum Kind {
        /** names an item (a path id or a selection): another project's answers 404 */
        ITEM,
        /** changes something of an item: writer of its project (a reader gets 403), audited */
        WRITE,
        /** manages something of a project (alert rules) or purges: admin of it (a writer or reader gets 403), audited */
        ADMIN,
        /** lists: another project's items are left out */
        LIST,
        /** answers without a token */
        PUBLIC
    }

    record Endpoint(String method, String path, String variant, Kind kind, Function<Side, Req> request) {
        String label() {
            return method + " " + path + (variant.isEmpty() ? "" : " (" + variant + ")");
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/api/v1/info", "", Kind.PUBLIC, s -> Req.get("/api/v1/info")),
            new Endpoint("GET", "/api/v1/projects", "", Kind.LIST, s -> Req.get("/api/v1/projects")),
            new Endpoint("GET", "/api/v1/experiments", "", Kind.LIST,
                    s -> Req.get("/api/v1/experiments").with("search", AuthMatrixResourceTest.fixture.prefix())),
            new Endpoint("GET", "/api/v1/experiments/{experimentId}", "", Kind.ITEM,
                    s -> Req.get("/api/v1/experiments/" + s.experiment())),
            new Endpoint("PATCH", "/api/v1/experiments/{experimentId}", "", Kind.WRITE,
                    s -> Req.patch("/api/v1/experiments/" + s.experiment(), "{\"description\": \"edited\"}")),
            new Endpoint("GET", "/api/v1/experiments/{experimentId}/tags", "", Kind.ITEM,
                    s -> Req.get("/api/v1/experiments/" + s.experiment() + "/tags")),
            new Endpoint("GET", "/api/v1/experiments/{experimentId}/hparams", "", Kind.ITEM,
                    s -> Req.get("/api/v1/experiments/" + s.experiment() + "/hparams")),
            new Endpoint("GET", "/api/v1/experiments/{experimentId}/hparams/sessions", "", Kind.ITEM,
                    s -> Req.get("/api/v1/experiments/" + s.experiment() + "/hparams/sessions")),
            new Endpoint("GET", "/api/v1/experiments/{experimentId}/hparams/groups", "", Kind.ITEM,
                    s -> Req.get("/api/v1/experiments/" + s.experiment() + "/hparams/groups").with("groupBy", "status")),
            new Endpoint("GET", "/api/v1/experiments/{experimentId}/compare", "", Kind.ITEM,
                    s -> Req.get("/api/v1/experiments/" + s.experiment() + "/compare")
                            .with("runs", s.run() + "," + AuthMatrixResourceTest.comparedRuns.get(s.project()))),
            new Endpoint("GET", "/api/v1/experiments/{experimentId}/views", "", Kind.ITEM,
                    s -> Req.get("/api/v1/experiments/" + s.experiment() + "/views")),
            new Endpoint("POST", "/api/v1/experiments/{experimentId}/views", "", Kind.WRITE,
                    s -> Req.post("/api/v1/experiments/" + s.experiment() + "/views",
                            "{\"name\": \"saved " + System.nanoTime() + "\", \"state\": {\"smoothing\": 0.6}}")),
            new Endpoint("GET", "/api/v1/experiments/{experimentId}/views/{viewId}", "", Kind.ITEM,
                    s -> Req.get("/api/v1/experiments/" + s.experiment() + "/views/" + s.view())),
            new Endpoint("PUT", "/api/v1/experiments/{experimentId}/views/{viewId}", "", Kind.WRITE,
                    s -> Req.post("/api/v1/experiments/" + s.experiment() + "/views/" + s.view(),
                            "{\"state\": {\"smoothing\": 0.9}}")),
            new Endpoint("DELETE", "/api/v1/experiments/{experimentId}/views/{viewId}", "", Kind.WRITE,
                    s -> Req.get("/api/v1/experiments/" + s.experiment() + "/views/" + s.doomedView())),
            new Endpoint("POST", "/api/v1/runs/search", "", Kind.LIST,
                    s -> Req.post("/api/v1/runs/search", "{\"filter\": \"name ~ \\\"" + AuthMatrixResourceTest.fixture.prefix()
                            + "\\\"\"}")),
            new Endpoint("POST", "/api/v1/runs/search", "experiment", Kind.ITEM,
                    s -> Req.post("/api/v1/runs/search", "{\"experiment\": " + s.experiment() + "}")),
            new Endpoint("GET", "/api/v1/runs/{runId}/events", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/events")),
            new Endpoint("GET", "/api/v1/runs/{runId}/problems", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/problems")),
            new Endpoint("GET", "/api/v1/runs", "", Kind.LIST,
                    s -> Req.get("/api/v1/runs").with("filter", "name ~ \"" + AuthMatrixResourceTest.fixture.prefix() + "\"")),
            new Endpoint("GET", "/api/v1/runs", "experiment=", Kind.ITEM,
                    s -> Req.get("/api/v1/runs").with("experiment", s.experiment())),
            new Endpoint("GET", "/api/v1/runs", "filter experiment =", Kind.LIST,
                    s -> Req.get("/api/v1/runs").with("filter", "experiment = \"" + s.experimentName() + "\"")),
            new Endpoint("GET", "/api/v1/runs/{runId}", "", Kind.ITEM, s -> Req.get("/api/v1/runs/" + s.run())),
            new Endpoint("PATCH", "/api/v1/runs/{runId}", "", Kind.WRITE,
                    s -> Req.patch("/api/v1/runs/" + s.run(), "{\"labels\": [\"baseline\"], \"note\": \"edited\"}")),
            new Endpoint("DELETE", "/api/v1/runs/{runId}", "", Kind.WRITE,
                    s -> Req.get("/api/v1/runs/" + doomedRun(s, false))),
            new Endpoint("POST", "/api/v1/runs/{runId}/restore", "", Kind.WRITE,
                    s -> Req.post("/api/v1/runs/" + doomedRun(s, true) + "/restore", null)),
            new Endpoint("POST", "/api/v1/runs/{runId}/purge", "", Kind.ADMIN,
                    s -> Req.post("/api/v1/runs/" + doomedRun(s, true) + "/purge", null)),
            new Endpoint("POST", "/api/v1/runs/{runId}/move", "", Kind.WRITE,
                    s -> Req.post("/api/v1/runs/" + doomedRun(s, false) + "/move",
                            "{\"experiment\": " + s.experiment() + "}")),
            new Endpoint("DELETE", "/api/v1/experiments/{experimentId}", "", Kind.WRITE,
                    s -> Req.get("/api/v1/experiments/" + doomedExperiment(s, false))),
            new Endpoint("POST", "/api/v1/experiments/{experimentId}/restore", "", Kind.WRITE,
                    s -> Req.post("/api/v1/experiments/" + doomedExperiment(s, true) + "/restore", null)),
            new Endpoint("POST", "/api/v1/experiments/{experimentId}/purge", "", Kind.ADMIN,
                    s -> Req.post("/api/v1/experiments/" + doomedExperiment(s, true) + "/purge", null)),
            new Endpoint("GET", "/api/v1/trash", "", Kind.LIST, s -> Req.get("/api/v1/trash")),
            new Endpoint("GET", "/api/v1/runs/{runId}/tags", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/tags")),
            new Endpoint("GET", "/api/v1/runs/{runId}/histograms", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/histograms").with("tag", "loss")),
            new Endpoint("GET", "/api/v1/runs/{runId}/text", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/text").with("tag", "loss")),
            new Endpoint("GET", "/api/v1/runs/{runId}/pr-curves", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/pr-curves").with("tag", "loss")),
            new Endpoint("GET", "/api/v1/runs/{runId}/tensors", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/tensors").with("tag", "loss")),
            new Endpoint("GET", "/api/v1/runs/{runId}/blobs", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/blobs").with("tag", "loss")),
            new Endpoint("GET", "/api/v1/runs/{runId}/blobs/data", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/blobs/data").with("tag", "loss").with("step", 0)
                            .with("index", 0)),
            new Endpoint("GET", "/api/v1/runs/{runId}/assets", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/assets")),
            new Endpoint("GET", "/api/v1/runs/{runId}/assets/data", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/assets/data").with("path", "plugins/profile/x/a.trace")),
            new Endpoint("GET", "/api/v1/runs/{runId}/profiles", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/profiles")),
            new Endpoint("GET", "/api/v1/runs/{runId}/profiles/{session}/steps", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/profiles/x/steps")),
            new Endpoint("GET", "/api/v1/runs/{runId}/profiles/{session}/ops", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/profiles/x/ops")),
            new Endpoint("GET", "/api/v1/runs/{runId}/profiles/{session}/timeline", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/profiles/x/timeline")),
            new Endpoint("GET", "/api/v1/runs/{runId}/profiles/{session}/memory", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/profiles/x/memory")),
            new Endpoint("GET", "/api/v1/runs/{runId}/profiles/{session}/compare", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/profiles/x/compare").with("withSession", "y")),
            // B's run is checked as A's: the path names a run the caller may read, withRun the other project's
            new Endpoint("GET", "/api/v1/runs/{runId}/profiles/{session}/compare", "withRun", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + (s == AuthMatrixResourceTest.fixture.beta()
                            ? AuthMatrixResourceTest.fixture.alpha() : AuthMatrixResourceTest.fixture.beta()).run()
                            + "/profiles/x/compare").with("withRun", s.run()).with("withSession", "y")),
            new Endpoint("GET", "/api/v1/runs/{runId}/archive", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/archive")),
            new Endpoint("GET", "/api/v1/runs/{runId}/archive/segments/{segmentId}", "", Kind.ITEM,
                    s -> Req.get("/api/v1/runs/" + s.run() + "/archive/segments/" + s.segment())),
            new Endpoint("POST", "/api/v1/runs/{runId}/archive/restores", "", Kind.WRITE,
                    s -> Req.post("/api/v1/runs/" + s.run() + "/archive/restores", null)),
            new Endpoint("GET", "/api/v1/scalars", "run=", Kind.ITEM,
                    s -> Req.get("/api/v1/scalars").with("run", s.run()).with("tag", "loss")),
            new Endpoint("GET", "/api/v1/scalars", "experiment=", Kind.ITEM,
                    s -> Req.get("/api/v1/scalars").with("experiment", s.experiment())),
            new Endpoint("GET", "/api/v1/scalars", "run= width=", Kind.ITEM,
                    s -> Req.get("/api/v1/scalars").with("run", s.run()).with("tag", "loss").with("width", 800)),
            new Endpoint("POST", "/api/v1/scalars", "experiment width", Kind.ITEM,
                    s -> Req.post("/api/v1/scalars", "{\"experiment\": " + s.experiment() + ", \"width\": 800}")),
            new Endpoint("GET", "/api/v1/scalars", "experiment= groupBy=", Kind.ITEM,
                    s -> Req.get("/api/v1/scalars").with("experiment", s.experiment()).with("groupBy", "status")),
            new Endpoint("POST", "/api/v1/scalars", "runs groupBy", Kind.ITEM,
                    s -> Req.post("/api/v1/scalars", "{\"runs\": [" + s.run() + "], \"groupBy\": \"label:\"}")),
            new Endpoint("POST", "/api/v1/scalars", "runs", Kind.ITEM,
                    s -> Req.post("/api/v1/scalars", "{\"runs\": [" + s.run() + "], \"tags\": [\"loss\"]}")),
            new Endpoint("POST", "/api/v1/scalars", "experiment", Kind.ITEM,
                    s -> Req.post("/api/v1/scalars", "{\"experiment\": " + s.experiment() + "}")),
            new Endpoint("GET", "/api/v1/export", "", Kind.ITEM,
                    s -> Req.get("/api/v1/export").with("experiment", s.experiment())),
            new Endpoint("POST", "/api/v1/export", "", Kind.ITEM,
                    s -> Req.post("/api/v1/export", "{\"experiment\": " + s.experiment() + "}")),
            new Endpoint("POST", "/api/v1/checks", "experiment", Kind.ITEM,
                    s -> Req.post("/api/v1/checks", "{\"experiment\": " + s.experiment()
                            + ", \"assertions\": [\"metrics.loss@last < 10\"]}")),
            new Endpoint("POST", "/api/v1/checks", "runs", Kind.ITEM,
                    s -> Req.post("/api/v1/checks", "{\"runs\": [" + s.run()
                            + "], \"assertions\": [\"metrics.loss@last < 10\"]}")),
            new Endpoint("GET", "/api/v1/projects/{project}/alert-rules", "", Kind.ITEM, s -> Req.get(s.rules())),
            new Endpoint("POST", "/api/v1/projects/{project}/alert-rules", "", Kind.ADMIN,
                    s -> Req.post(s.rules(), "{\"name\": \"rule " + System.nanoTime() + "\", \"condition\": \"no nan in"
                            + " metrics.loss\", \"webhook\": {\"url\": \"http://127.0.0.1:9/hook\"}}")),
            new Endpoint("GET", "/api/v1/projects/{project}/alert-rules/{ruleId}", "", Kind.ITEM,
                    s -> Req.get(s.rules() + "/" + s.rule())),
            new Endpoint("PUT", "/api/v1/projects/{project}/alert-rules/{ruleId}", "", Kind.ADMIN,
                    s -> Req.post(s.rules() + "/" + s.rule(), "{\"filter\": \"label = \\\"x\\\"\"}")),
            new Endpoint("DELETE", "/api/v1/projects/{project}/alert-rules/{ruleId}", "", Kind.ADMIN,
                    s -> Req.get(s.rules() + "/" + s.doomedRule())),
            new Endpoint("GET", "/api/v1/projects/{project}/alert-rules/{ruleId}/events", "", Kind.ITEM,
                    s -> Req.get(s.rules() + "/" + s.rule() + "/events")),
            new Endpoint("POST", "/api/v1/projects/{project}/alert-rules/{ruleId}/test", "", Kind.ADMIN,
                    s -> Req.post(s.rules() + "/" + s.rule() + "/test", null)));


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
        for (Endpoint e : ENDPOINTS) {
            if (e.kind() == Kind.PUBLIC) {
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
    void refusedCredentialsGet401SayingWhatWasWrong(String name, Endpoint endpoint, BadCredential credential) {
        Response response = send(endpoint, fixture.beta(), credential.header().apply(fixture.beta().project()));
        assertThat(response.statusCode()).as(name).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        JsonPath json = response.jsonPath();
        assertThat(json.getString("error")).isEqualTo("UNAUTHENTICATED");
        assertThat(json.getString("message")).contains(credential.expected());
        assertThat(response.asString()).doesNotContain("at io.").doesNotContain("at dev.").doesNotContain("Exception");
    }

    static Stream<Arguments> otherProjects() {
        return ENDPOINTS.stream().filter(e -> e.kind() != Kind.PUBLIC).map(e -> Arguments.of(e.label() + " · "
                + (e.kind() != Kind.LIST ? "project alpha token on project beta's item → 404"
                : "project alpha token → project beta's items left out"), e));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherProjects")
    void anotherProjectsDataIsInvisible(String name, Endpoint endpoint) {
        Side beta = fixture.beta();
        Response response = send(endpoint, beta, "Bearer " + fixture.alpha().token("admin"));
        if (endpoint.kind() != Kind.LIST) {
            assertThat(response.statusCode()).as(name).isEqualTo(404);
            assertThat(response.jsonPath().getString("message")).contains("not found");
        } else {
            assertThat(response.statusCode()).as(name).isEqualTo(200);
        }
        assertThat(response.asString()).doesNotContain(beta.project()).doesNotContain(beta.runPath());
    }

    static Stream<Arguments> rightTokens() {
        return ENDPOINTS.stream().map(e -> Arguments.of(e.label() + " · " + switch (e.kind()) {
            case PUBLIC -> "no token → 200";
            case WRITE -> "project beta writer token → allowed";
            case ADMIN -> "project beta admin token → allowed";
            default -> "project beta reader token → allowed";
        }, e));
    }

    static Stream<Arguments> writes() {
        return ENDPOINTS.stream().filter(e -> e.kind() == Kind.WRITE || e.kind() == Kind.ADMIN)
                .map(e -> Arguments.of(e.label() + " · project beta reader token → 403", e));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void aReaderCannotWrite(String name, Endpoint endpoint) {
        Side beta = fixture.beta();
        Response response = send(endpoint, beta, "Bearer " + beta.readerToken());
        assertThat(response.statusCode()).as(name).isEqualTo(403);
        assertThat(response.jsonPath().getString("error")).isEqualTo("PERMISSION_DENIED");
        // Either role the reader lacks may be named: a purge is refused at the writer check before
        // its admin check; alert rules are admin-only from the start.
        assertThat(response.jsonPath().getString("message")).containsPattern(
                endpoint.kind() == Kind.ADMIN ? "writer|admin" : "writer").contains(beta.project());
    }

    static Stream<Arguments> adminActions() {
        return ENDPOINTS.stream().filter(e -> e.kind() == Kind.ADMIN)
                .map(e -> Arguments.of(e.label() + " · project beta writer token → 403", e, "writer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminActions")
    void onlyAnAdminManages(String name, Endpoint endpoint, String role) {
        Side beta = fixture.beta();
        Response response = send(endpoint, beta, "Bearer " + beta.token(role));
        assertThat(response.statusCode()).as(name).isEqualTo(403);
        assertThat(response.jsonPath().getString("error")).isEqualTo("PERMISSION_DENIED");
        assertThat(response.jsonPath().getString("message")).contains("admin").contains(beta.project());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rightTokens")
    void theRightTokenIsAllowed(String name, Endpoint endpoint) {
        Side beta = fixture.beta();
        String header = switch (endpoint.kind()) {
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
        if (endpoint.kind() == Kind.LIST) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(body).contains(endpoint.path().equals("/api/v1/runs") ? beta.runPath() : beta.project());
        } else if (endpoint.kind() == Kind.ITEM && !endpoint.path().startsWith("/api/v1/runs/{runId}/")) {
            // Sub-resources of a run may answer 404 for a tag or copy the seeded run lacks.
            assertThat(response.statusCode()).as(name + ": " + body).isEqualTo(200);
        }
    }

    // ---- coverage: every endpoint of the OpenAPI document has rows ----

    @Test
    void everyEndpointOfTheOpenApiDocumentIsInTheMatrix() {
        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet().forEach(method -> {
            if (Set.of("get", "post", "put", "delete", "patch", "head").contains(method)) {
                documented.add(method.toUpperCase() + " " + path);
            }
        }));
        Set<String> covered = new TreeSet<>();
        ENDPOINTS.forEach(e -> covered.add(e.method() + " " + e.path()));
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

    private static Response send(Endpoint endpoint, Side side, String authorization) {
        Req req = endpoint.request().apply(side);
        RequestSpecification spec = given().urlEncodingEnabled(true);
        if (authorization != null) {
            spec.header("Authorization", authorization);
        }
        req.query().forEach(spec::queryParam);
        if (req.body() != null) {
            spec.contentType(ContentType.JSON).body(req.body());
        }
        return spec.request(endpoint.method(), req.path());
    }
}
