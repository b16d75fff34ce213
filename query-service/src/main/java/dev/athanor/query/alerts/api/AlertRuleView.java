package dev.athanor.query.alerts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.athanor.query.alerts.store.FiringRun;
import java.time.Instant;
import java.util.List;

/**
 * A rule as the API shows it: never its secret ({@code hasSecret} says whether it has one) and
 * the webhook URL only up to its host (paths of Slack-style URLs are credentials themselves).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertRuleView(long id, String project, String name, String experiment, Long experimentId, String filter,
                            String condition, String kind, Webhook webhook, String createdBy, Instant createdAt,
                            String updatedBy, Instant updatedAt, List<FiringRun> firing) {

    public record Webhook(String url, String format, boolean hasSecret) {
    }
}
