package dev.athanor.query.common.auth;

import static dev.athanor.auth.AccessRule.open;
import static dev.athanor.auth.AccessRule.project;
import static dev.athanor.auth.AccessRule.signedIn;
import static dev.athanor.auth.ProjectRole.ADMIN;
import static dev.athanor.auth.ProjectRole.READER;
import static dev.athanor.auth.ProjectRole.WRITER;

import dev.athanor.auth.AccessRules;

/**
 * Who may call each query-service endpoint ({@link dev.athanor.auth.Access}). Whatever the rule, a
 * project or item the path names must be readable by the caller (else 404). An endpoint missing here
 * is refused to everyone; {@code QueryAccessRulesTest} lists the served endpoints against this table and
 * {@code AuthMatrixResourceTest} holds every endpoint to its row.
 */
public final class QueryAccessRules {

    public static final AccessRules TABLE = AccessRules.of(
            // What a client needs before it can sign in.
            open("GET /api/v1/info"),
            // Lists, searches and selections named in the query or body: the services narrow them to the
            // caller's projects (ProjectAccess) and answer 404 for another project's experiment or run.
            signedIn("GET /api/v1/projects"),
            signedIn("GET /api/v1/experiments"),
            signedIn("POST /api/v1/runs/search"),
            signedIn("GET /api/v1/runs"),
            signedIn("GET /api/v1/trash"),
            signedIn("GET /api/v1/scalars"),
            signedIn("POST /api/v1/scalars"),
            signedIn("GET /api/v1/export"),
            signedIn("POST /api/v1/export"),
            signedIn("POST /api/v1/checks"),
            // Reading a project's item or the project named in the path.
            project("GET /api/v1/experiments/{experimentId}", READER),
            project("GET /api/v1/experiments/{experimentId}/tags", READER),
            project("GET /api/v1/experiments/{experimentId}/hparams", READER),
            project("GET /api/v1/experiments/{experimentId}/hparams/sessions", READER),
            project("GET /api/v1/experiments/{experimentId}/hparams/groups", READER),
            project("GET /api/v1/experiments/{experimentId}/compare", READER),
            project("GET /api/v1/experiments/{experimentId}/views", READER),
            project("GET /api/v1/experiments/{experimentId}/views/{viewId}", READER),
            project("GET /api/v1/runs/{runId}/events", READER),
            project("GET /api/v1/runs/{runId}/problems", READER),
            project("GET /api/v1/runs/{runId}", READER),
            project("GET /api/v1/runs/{runId}/tags", READER),
            project("GET /api/v1/runs/{runId}/histograms", READER),
            project("GET /api/v1/runs/{runId}/text", READER),
            project("GET /api/v1/runs/{runId}/pr-curves", READER),
            project("GET /api/v1/runs/{runId}/tensors", READER),
            project("GET /api/v1/runs/{runId}/blobs", READER),
            project("GET /api/v1/runs/{runId}/blobs/data", READER),
            project("GET /api/v1/runs/{runId}/assets", READER),
            project("GET /api/v1/runs/{runId}/assets/data", READER),
            project("GET /api/v1/runs/{runId}/profiles", READER),
            project("GET /api/v1/runs/{runId}/profiles/{session}/steps", READER),
            project("GET /api/v1/runs/{runId}/profiles/{session}/ops", READER),
            project("GET /api/v1/runs/{runId}/profiles/{session}/timeline", READER),
            project("GET /api/v1/runs/{runId}/profiles/{session}/memory", READER),
            project("GET /api/v1/runs/{runId}/profiles/{session}/compare", READER),
            project("GET /api/v1/runs/{runId}/archive", READER),
            project("GET /api/v1/runs/{runId}/archive/segments/{segmentId}", READER),
            project("GET /api/v1/projects/{project}/alert-rules", READER),
            project("GET /api/v1/projects/{project}/alert-rules/{ruleId}", READER),
            project("GET /api/v1/projects/{project}/alert-rules/{ruleId}/events", READER),
            // Changing an item: writer of its project.
            project("PATCH /api/v1/experiments/{experimentId}", WRITER),
            project("POST /api/v1/experiments/{experimentId}/views", WRITER),
            project("PUT /api/v1/experiments/{experimentId}/views/{viewId}", WRITER),
            project("DELETE /api/v1/experiments/{experimentId}/views/{viewId}", WRITER),
            project("PATCH /api/v1/runs/{runId}", WRITER),
            project("DELETE /api/v1/runs/{runId}", WRITER),
            project("POST /api/v1/runs/{runId}/restore", WRITER),
            project("POST /api/v1/runs/{runId}/move", WRITER),
            project("DELETE /api/v1/experiments/{experimentId}", WRITER),
            project("POST /api/v1/experiments/{experimentId}/restore", WRITER),
            project("POST /api/v1/runs/{runId}/archive/restores", WRITER),
            // Purging and managing alert rules: admin of the project.
            project("POST /api/v1/runs/{runId}/purge", ADMIN),
            project("POST /api/v1/experiments/{experimentId}/purge", ADMIN),
            project("POST /api/v1/projects/{project}/alert-rules", ADMIN),
            project("PUT /api/v1/projects/{project}/alert-rules/{ruleId}", ADMIN),
            project("DELETE /api/v1/projects/{project}/alert-rules/{ruleId}", ADMIN),
            project("POST /api/v1/projects/{project}/alert-rules/{ruleId}/test", ADMIN));

    private QueryAccessRules() {
    }
}
