package dev.athanor.query.alerts.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.query.alerts.store.AlertRule;
import dev.athanor.query.alerts.store.RunVerdict;
import dev.athanor.query.alerts.store.Values;
import dev.athanor.query.querylang.ast.AlertCondition;
import dev.athanor.query.querylang.ast.Operand;
import dev.athanor.query.querylang.ast.Operands;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The bodies webhooks receive (docs/alerts.md): the generic JSON (rule, run, experiment, project,
 * condition, value, step, time, links into the web UI) or Slack's incoming-webhook {@code text}.
 */
public final class Notifications {

    public static final String FIRING = "FIRING";
    public static final String RESOLVED = "RESOLVED";
    public static final String TEST = "TEST";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String publicUrl;

    public Notifications(String publicUrl) {
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /**
     * @param verdict the run and what was seen; for a test notification a made-up one
     * @param condition the rule's parsed condition (names the series to chart)
     */
    public String body(AlertRule rule, AlertCondition condition, String kind, long eventId, RunVerdict verdict, Instant at) {
        String runUrl = runUrl(verdict);
        String chartUrl = chartUrl(verdict, condition);
        if ("slack".equals(rule.webhookFormat())) {
            ObjectNode slack = JSON.createObjectNode();
            slack.put("text", text(rule, kind, verdict, chartUrl));
            return write(slack);
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("event", eventId);
        o.put("kind", kind.toLowerCase(java.util.Locale.ROOT));
        ObjectNode r = o.putObject("rule");
        r.put("id", rule.id());
        r.put("name", rule.name());
        o.put("project", rule.project());
        ObjectNode e = o.putObject("experiment");
        e.put("id", verdict.experimentId());
        e.put("name", verdict.experiment());
        ObjectNode run = o.putObject("run");
        run.put("id", verdict.runId());
        run.put("path", verdict.run());
        o.put("condition", rule.condition());
        if (rule.filter() != null) {
            o.put("filter", rule.filter());
        }
        o.putPOJO("value", Values.json(verdict.value()));
        if (verdict.step() == null) {
            o.putNull("step");
        } else {
            o.put("step", verdict.step());
        }
        o.put("observed", verdict.observed());
        o.put("time", at.toString());
        o.put("url", chartUrl);
        o.put("runUrl", runUrl);
        return write(o);
    }

    private String text(AlertRule rule, String kind, RunVerdict v, String url) {
        String mark = switch (kind) {
            case FIRING -> ":rotating_light: firing";
            case RESOLVED -> ":white_check_mark: resolved";
            default -> ":test_tube: test";
        };
        return mark + " — " + rule.name() + " (" + rule.condition() + ") for run " + v.run() + " in "
                + rule.project() + "/" + v.experiment() + ": " + v.observed() + " <" + url + "|open the chart>";
    }

    private String runUrl(RunVerdict v) {
        return publicUrl + "/" + runLink(v.experimentId(), v.runId());
    }

    private String chartUrl(RunVerdict v, AlertCondition condition) {
        return publicUrl + "/" + chartLink(v.experimentId(), v.runId(), v.step(), condition);
    }

    /** The web UI's URL hash of a run's page. */
    public static String runLink(long experimentId, long runId) {
        return "#/e/" + experimentId + "/scalars?runs=" + runId + "&run=" + runId;
    }

    /**
     * The web UI's URL hash of the chart of the series the condition is about, with the step data
     * table at the firing step; the run's page when the condition names no series.
     */
    public static String chartLink(long experimentId, long runId, Long step, AlertCondition condition) {
        String tag = switch (condition) {
            case AlertCondition.Broken b -> b.guard().metric().tag();
            case AlertCondition.Stalled s -> s.metric().tag();
            case AlertCondition.Holds h -> Operands.of(h.expr()).get(0) instanceof Operand.Metric m ? m.tag() : null;
        };
        if (tag == null) {
            return runLink(experimentId, runId);
        }
        String t = URLEncoder.encode(tag, StandardCharsets.UTF_8);
        return "#/e/" + experimentId + "/scalars?runs=" + runId + "&tags=" + t + "&pins=" + t
                + (step == null ? "" : "&step=" + step);
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
