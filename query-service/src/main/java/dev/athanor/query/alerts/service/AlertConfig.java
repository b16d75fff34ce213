package dev.athanor.query.alerts.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Alert rules' settings ({@code athanor.alerts.*}, each overridable by its environment variable,
 * e.g. {@code ATHANOR_ALERTS_ALLOWED_TARGETS}). Documented in docs/alerts.md.
 */
@ConfigMapping(prefix = "athanor.alerts")
public interface AlertConfig {

    /** Whether this replica evaluates rules and delivers notifications (the API works either way). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Webhook targets allowed beside public addresses: CIDR blocks ({@code 10.0.0.0/8},
     * {@code ::1/128}) and host names ({@code hooks.internal.example}). Loopback, private,
     * link-local (cloud metadata), carrier-grade NAT, multicast and unspecified addresses are
     * refused unless listed. The local suite lists loopback.
     */
    Optional<List<String>> allowedTargets();

    /** The web UI's address, for links in notifications. */
    @WithDefault("http://127.0.0.1:8080")
    String publicUrl();

    /** How often the change evaluator looks for changed runs when no notification woke it. */
    @WithDefault("PT2S")
    Duration pollInterval();

    /** How often stall rules are evaluated over running runs. */
    @WithDefault("PT30S")
    Duration stallInterval();

    /** How often the delivery worker looks for due deliveries. */
    @WithDefault("PT0.5S")
    Duration deliveryInterval();

    /** How long a delivery is retried before it is marked failed. */
    @WithDefault("PT24H")
    Duration retryFor();

    /** The first retry's delay; each retry doubles it (with jitter) up to retryMaxDelay. */
    @WithDefault("PT2S")
    Duration retryInitialDelay();

    @WithDefault("PT10M")
    Duration retryMaxDelay();

    /** Connect and response timeout of one webhook call. */
    @WithDefault("PT10S")
    Duration requestTimeout();
}
