package dev.athanor.query.alerts.service;

import dev.athanor.auth.AccessCheck;
import dev.athanor.auth.AccessDeniedException;
import dev.athanor.auth.AuditDetail;
import dev.athanor.auth.Caller;
import dev.athanor.auth.CurrentCaller;
import dev.athanor.auth.ProjectRole;
import dev.athanor.query.alerts.api.AlertRuleView;
import dev.athanor.query.alerts.delivery.Notifications;
import dev.athanor.query.alerts.delivery.TargetPolicy;
import dev.athanor.query.alerts.delivery.WebhookClient;
import dev.athanor.query.alerts.store.AlertEventRow;
import dev.athanor.query.alerts.store.AlertRule;
import dev.athanor.query.alerts.store.AlertTransitions;
import dev.athanor.query.alerts.store.ConditionQuery;
import dev.athanor.query.alerts.store.FiringRun;
import dev.athanor.query.alerts.store.PgAlertRuleStore;
import dev.athanor.query.alerts.store.RuleFields;
import dev.athanor.query.alerts.store.RunVerdict;
import dev.athanor.query.common.api.TextField;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.error.NotFoundException;
import dev.athanor.query.common.jdbc.DataAccessException;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.querylang.Lexer;
import dev.athanor.query.querylang.Parser;
import dev.athanor.query.querylang.ast.AlertCondition;
import dev.athanor.query.querylang.ast.Expr;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Alert rules of a project: readers of the project list and read them, admins create, change,
 * delete and test them — every such call audited, allowed or not. A project the caller cannot
 * read answers 404, as one that does not exist. Bodies are checked whole before anything is
 * written: the filter and condition parse and compile, the webhook target passes the operator's
 * allow-list.
 */
@ApplicationScoped
public class AlertRuleService {

    public static final int MAX_NAME = 128;
    public static final int MAX_SECRET = 256;
    public static final int MIN_SECRET = 8;
    public static final int MAX_EVENTS = 1000;
    private static final Set<String> FIELDS = Set.of("name", "experiment", "filter", "condition", "webhook");
    private static final Set<String> WEBHOOK_FIELDS = Set.of("url", "secret", "format");

    private final PgAlertRuleStore store;
    private final AlertTransitions transitions;
    private final AlertEvaluator evaluator;
    private final TargetPolicy policy;
    private final WebhookClient client;
    private final Notifications notifications;
    private final CurrentCaller current;
    private final AuditDetail audit;
    private final Jdbc jdbc;

    public AlertRuleService(PgAlertRuleStore store, AlertTransitions transitions, AlertEvaluator evaluator,
                            TargetPolicy policy, WebhookClient client, Notifications notifications, CurrentCaller current,
                            AuditDetail audit, Jdbc jdbc) {
        this.store = store;
        this.transitions = transitions;
        this.evaluator = evaluator;
        this.policy = policy;
        this.client = client;
        this.notifications = notifications;
        this.current = current;
        this.audit = audit;
        this.jdbc = jdbc;
    }

    public List<AlertRuleView> list(String project) {
        long projectId = readable(project);
        List<AlertRule> rules = store.list(projectId);
        Map<Long, List<FiringRun>> firing = store.firing(rules.stream().map(AlertRule::id).toList());
        return rules.stream().map(r -> view(r, firing.getOrDefault(r.id(), List.of()))).toList();
    }

    public AlertRuleView get(String project, long ruleId) {
        AlertRule rule = rule(readable(project), ruleId);
        return view(rule, store.firing(List.of(ruleId)).getOrDefault(ruleId, List.of()));
    }

    public List<AlertEventRow> events(String project, long ruleId, Integer limit) {
        long projectId = readable(project);
        rule(projectId, ruleId);
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > MAX_EVENTS) {
            throw new BadInputException("limit", "limit must be 1-" + MAX_EVENTS + "; got " + n);
        }
        return store.events(ruleId, n);
    }

    public AlertRuleView create(String project, Map<String, Object> body) {
        String action = "POST /api/v1/projects/" + project + "/alert-rules";
        long projectId = readable(project);
        return asAdmin(project, action, () -> {
            requireBody(body);
            RuleFields fields = fields(projectId, body, null);
            AlertRule rule = store.create(projectId, fields, who());
            audit.put("alertRule", Long.toString(rule.id()));
            evaluator.evaluateLiveRuns(rule.id(), projectId);
            return get(project, rule.id());
        });
    }

    public AlertRuleView update(String project, long ruleId, Map<String, Object> body) {
        String action = "PUT /api/v1/projects/" + project + "/alert-rules/" + ruleId;
        long projectId = readable(project);
        return asAdmin(project, action, () -> {
            requireBody(body);
            AlertRule before = rule(projectId, ruleId);
            RuleFields fields = fields(projectId, body, before);
            boolean keepSecret = !(body.get("webhook") instanceof Map<?, ?> w && w.containsKey("secret"));
            store.update(projectId, ruleId, fields, keepSecret, who()).orElseThrow(() -> notFound(ruleId));
            evaluator.evaluateLiveRuns(ruleId, projectId);
            return get(project, ruleId);
        });
    }

    public void delete(String project, long ruleId) {
        String action = "DELETE /api/v1/projects/" + project + "/alert-rules/" + ruleId;
        long projectId = readable(project);
        asAdmin(project, action, () -> {
            if (!store.delete(projectId, ruleId)) {
                throw notFound(ruleId);
            }
            return null;
        });
    }

    /** What a test notification did. */
    public record TestResult(long event, long delivery, boolean delivered, Integer status, String error) {
    }

    /** Sends a sample notification to the rule's target now (one attempt) and records it in the rule's history. */
    public TestResult test(String project, long ruleId) {
        String action = "POST /api/v1/projects/" + project + "/alert-rules/" + ruleId + "/test";
        long projectId = readable(project);
        return asAdmin(project, action, () -> {
            AlertRule rule = rule(projectId, ruleId);
            ConditionQuery query = new ConditionQuery(rule.filter(), rule.condition());
            RunVerdict sample = new RunVerdict(0, "(a sample run)", rule.experimentId() == null ? 0 : rule.experimentId(),
                    rule.experiment() == null ? "(a sample experiment)" : rule.experiment(), true, 1.0, 0L,
                    "a test notification: nothing fired");
            return jdbc.withConnection(c -> {
                AlertTransitions.Event event = transitions.testEvent(c, ruleId, sample);
                String body = notifications.body(rule, query.condition(), Notifications.TEST, event.id(), sample, event.at());
                long delivery = transitions.newDeliveryId(c);
                WebhookClient.Result r = client.send(rule.webhookUrl(), rule.webhookSecret(), body, delivery,
                        Notifications.TEST);
                transitions.attemptedDelivery(c, delivery, event.id(), ruleId, body,
                        new AlertTransitions.Attempted(r.delivered(), r.status(), r.error()));
                return new TestResult(event.id(), delivery, r.delivered(), r.status(), r.error());
            });
        });
    }

    // ---- the body ----

    private RuleFields fields(long projectId, Map<String, Object> body, AlertRule before) {
        String name = body.containsKey("name") ? TextField.check("body.name", body.get("name"), MAX_NAME, false)
                : before == null ? null : before.name();
        if (name == null || name.isBlank()) {
            throw new BadInputException("body.name", "a rule needs a name (1-" + MAX_NAME + " characters)");
        }
        Long experimentId = before == null ? null : before.experimentId();
        if (body.containsKey("experiment")) {
            String experiment = TextField.check("body.experiment", body.get("experiment"), 256, false);
            experimentId = experiment == null ? null : store.experimentId(projectId, experiment).orElseThrow(() ->
                    new BadInputException("body.experiment", "no experiment named '" + experiment + "' in this project"));
        }
        String filter = body.containsKey("filter") ? expression("body.filter", body.get("filter"))
                : before == null ? null : before.filter();
        String condition = body.containsKey("condition") ? expression("body.condition", body.get("condition"))
                : before == null ? null : before.condition();
        if (condition == null) {
            throw new BadInputException("body.condition", "a rule needs a condition, e.g. \"no nan in metrics.loss\"");
        }
        ConditionQuery query = new ConditionQuery(filter, condition);
        checkRegexes(filter == null ? null : Parser.parseFilter("filter", filter), "body.filter");
        if (query.condition() instanceof AlertCondition.Holds h) {
            checkRegexes(h.expr(), "body.condition");
        }
        Webhook webhook = webhook(body.get("webhook"), before, body.containsKey("webhook"));
        return new RuleFields(experimentId, name, filter, condition, query.isStall() ? AlertRule.STALL : AlertRule.CHANGE,
                webhook.url(), webhook.secret(), webhook.format());
    }

    private record Webhook(String url, String secret, String format) {
    }

    private Webhook webhook(Object value, AlertRule before, boolean given) {
        if (!given) {
            if (before == null) {
                throw new BadInputException("body.webhook", "a rule needs a webhook: {\"url\": \"https://…\"}");
            }
            return new Webhook(before.webhookUrl(), before.webhookSecret(), before.webhookFormat());
        }
        if (!(value instanceof Map<?, ?> w)) {
            throw new BadInputException("body.webhook", "webhook must be an object {\"url\", \"secret\", \"format\"}; got "
                    + TextField.describe(value));
        }
        for (Object key : w.keySet()) {
            if (!WEBHOOK_FIELDS.contains(String.valueOf(key))) {
                throw new BadInputException("body.webhook." + key, "unknown field '" + key
                        + "': a webhook has url, secret and format");
            }
        }
        String url = w.containsKey("url") ? TextField.check("body.webhook.url", w.get("url"), 2048, false)
                : before == null ? null : before.webhookUrl();
        if (url == null) {
            throw new BadInputException("body.webhook.url", "a webhook needs a url");
        }
        try {
            policy.check(url);
        } catch (TargetPolicy.RefusedTarget e) {
            throw new BadInputException("body.webhook.url", "the webhook URL " + e.getMessage());
        }
        String secret = w.containsKey("secret") ? TextField.check("body.webhook.secret", w.get("secret"), MAX_SECRET, false)
                : before == null ? null : before.webhookSecret();
        if (secret != null && secret.length() < MIN_SECRET) {
            throw new BadInputException("body.webhook.secret", "a webhook secret has at least " + MIN_SECRET
                    + " characters; got " + secret.length());
        }
        String format = w.containsKey("format") ? TextField.check("body.webhook.format", w.get("format"), 16, false)
                : before == null ? null : before.webhookFormat();
        format = format == null ? "json" : format;
        if (!format.equals("json") && !format.equals("slack")) {
            throw new BadInputException("body.webhook.format", "format is \"json\" or \"slack\"; got '" + format + "'");
        }
        return new Webhook(url, secret, format);
    }

    private static String expression(String where, Object value) {
        String text = TextField.check(where, value, Lexer.MAX_LENGTH, true);
        return text == null || text.isBlank() ? null : text;
    }

    /** PostgreSQL compiles a regular expression only when it first meets a row: try each one now. */
    private void checkRegexes(Expr expr, String where) {
        if (expr == null) {
            return;
        }
        switch (expr) {
            case Expr.And and -> and.terms().forEach(t -> checkRegexes(t, where));
            case Expr.Or or -> or.terms().forEach(t -> checkRegexes(t, where));
            case Expr.Not not -> checkRegexes(not.term(), where);
            case Expr.Match m -> {
                try {
                    jdbc.one(SqlFragment.of("SELECT '' ~ ?", m.pattern()), rs -> rs.getBoolean(1));
                } catch (DataAccessException e) {
                    if (e.getCause() instanceof SQLException sql && "2201B".equals(sql.getSQLState())) {
                        throw new BadInputException(where, "invalid regular expression at column " + m.column() + ": "
                                + sql.getMessage().lines().findFirst().orElse(""));
                    }
                    throw e;
                }
            }
            default -> {
            }
        }
    }

    private static void requireBody(Map<String, Object> body) {
        if (body == null || body.isEmpty()) {
            throw new BadInputException("body", "a JSON object with name, condition and webhook is required");
        }
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new BadInputException("body." + field, "unknown field '" + field
                        + "': a rule has name, experiment, filter, condition and webhook");
            }
        }
    }

    // ---- access ----

    /** The project's id; 404 unless it exists and the caller may read it. */
    private long readable(String project) {
        Caller caller = current.get();
        // The same answer for a project that does not exist and one the caller may not read (nor its name echoed).
        NotFoundException notFound = new NotFoundException("project", AccessCheck.PROJECT_NOT_FOUND);
        if (project == null || !caller.mayRead(project)) {
            throw notFound;
        }
        return store.projectId(project).orElseThrow(() -> notFound);
    }

    /**
     * An admin-only change. The auth edge (QueryAccessRules: admin of the path's project) has refused
     * anyone else and audits the outcome; this repeats the check so the service stays closed on its own.
     */
    private <T> T asAdmin(String project, String action, Supplier<T> change) {
        if (!current.get().mayAdmin(project)) {
            throw new AccessDeniedException(action, project, ProjectRole.ADMIN);
        }
        return change.get();
    }

    private AlertRule rule(long projectId, long ruleId) {
        return store.get(projectId, ruleId).orElseThrow(() -> notFound(ruleId));
    }

    private static NotFoundException notFound(long ruleId) {
        return new NotFoundException("ruleId", "alert rule " + ruleId + " not found in this project");
    }

    private String who() {
        Caller caller = current.get();
        return caller.username() != null ? caller.username() : caller.subject();
    }

    private static AlertRuleView view(AlertRule r, List<FiringRun> firing) {
        AlertCondition condition = Parser.parseAlertCondition("condition", r.condition());
        firing = firing.stream().map(f -> f.withChart(Notifications.chartLink(f.experimentId(), f.runId(), f.step(),
                condition))).toList();
        return new AlertRuleView(r.id(), r.project(), r.name(), r.experiment(), r.experimentId(), r.filter(), r.condition(),
                r.kind(), new AlertRuleView.Webhook(redacted(r.webhookUrl()), r.webhookFormat(), r.webhookSecret() != null),
                r.createdBy(), r.createdAt(), r.updatedBy(), r.updatedAt(), firing);
    }

    /** scheme://host[:port]/… — the path and query of a webhook URL may be credentials. */
    static String redacted(String url) {
        try {
            URI u = URI.create(url);
            String origin = u.getScheme() + "://" + u.getRawAuthority();
            boolean more = (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))
                    || u.getRawQuery() != null;
            return origin + (more ? "/…" : "/");
        } catch (IllegalArgumentException e) {
            return "(unreadable)";
        }
    }
}
