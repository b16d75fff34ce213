package dev.athanor.query.alerts.api;

import dev.athanor.query.alerts.service.AlertRuleService;
import dev.athanor.query.alerts.store.AlertEventRow;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/projects/{project}/alert-rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alerts")
public class AlertRuleResource {

    private final AlertRuleService service;

    public AlertRuleResource(AlertRuleService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "A project's alert rules, each with the runs it fires for now (readers of the project)")
    public List<AlertRuleView> list(@PathParam("project") String project) {
        return service.list(project);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an alert rule (admins of the project; audited)",
            description = "Body {\"name\", \"experiment\": optional experiment name, \"filter\": optional run filter,"
                    + " \"condition\": e.g. \"no nan in metrics.loss\", \"metrics.val_loss@last > 1.5 after step 1000\","
                    + " \"no new points in metrics.loss for 15m\", \"status = 'failed'\", \"webhook\": {\"url\","
                    + " \"secret\": optional, at least 8 characters, \"format\": \"json\" (default) or \"slack\"}}."
                    + " A URL the operator's allow-list refuses is a 400. Answers 201 with the rule (without its secret).")
    @RequestBody(content = @Content(schema = @Schema(implementation = AlertRuleBody.class)))
    public Response create(@PathParam("project") String project, Map<String, Object> body) {
        return Response.status(Response.Status.CREATED).entity(service.create(project, body)).build();
    }

    @GET
    @Path("{ruleId}")
    @Operation(summary = "One alert rule with the runs it fires for now")
    public AlertRuleView get(@PathParam("project") String project, @PathParam("ruleId") long ruleId) {
        return service.get(project, ruleId);
    }

    @PUT
    @Path("{ruleId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change an alert rule (admins; audited)",
            description = "Body as for POST; a field left out is kept (webhook.secret too; null removes it). A changed"
                    + " scope or condition starts the rule afresh (its states are dropped, without notifications).")
    @RequestBody(content = @Content(schema = @Schema(implementation = AlertRuleBody.class)))
    public AlertRuleView update(@PathParam("project") String project, @PathParam("ruleId") long ruleId,
                                Map<String, Object> body) {
        return service.update(project, ruleId, body);
    }

    @DELETE
    @Path("{ruleId}")
    @Operation(summary = "Delete an alert rule with its history and pending deliveries (admins; audited)")
    public Response delete(@PathParam("project") String project, @PathParam("ruleId") long ruleId) {
        service.delete(project, ruleId);
        return Response.noContent().build();
    }

    @GET
    @Path("{ruleId}/events")
    @Operation(summary = "A rule's history, newest first: firings, resolutions and tests, each with its deliveries")
    public List<AlertEventRow> events(@PathParam("project") String project, @PathParam("ruleId") long ruleId,
                                      @QueryParam("limit") Integer limit) {
        return service.events(project, ruleId, limit);
    }

    @POST
    @Path("{ruleId}/test")
    @Operation(summary = "Send a sample notification to the rule's webhook now, once (admins; audited)")
    public AlertRuleService.TestResult test(@PathParam("project") String project, @PathParam("ruleId") long ruleId) {
        return service.test(project, ruleId);
    }
}
