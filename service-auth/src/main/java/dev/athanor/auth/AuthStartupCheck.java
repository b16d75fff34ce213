package dev.athanor.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/** At start: refuse auth off on a non-loopback listener; say loudly that auth is off. */
@ApplicationScoped
public class AuthStartupCheck {

    private static final Logger LOG = Logger.getLogger(AuthStartupCheck.class);

    void onStart(@Observes StartupEvent event, AuthSettings settings, Config config) {
        Map<String, String> listeners = listeners(config);
        LoopbackGuard.problem(settings.enabled(), listeners).ifPresent(problem -> {
            LOG.error(problem);
            throw new IllegalStateException(problem);
        });
        if (settings.enabled()) {
            LOG.infof("auth is on: bearer tokens from %s with audience %s are required", settings.issuer(),
                    settings.audience());
        } else {
            LOG.warnf("AUTH IS OFF: every caller is a local superuser; listening on loopback only (%s)", listeners.values());
        }
    }

    /** Every address this service listens on, by the setting that configures it. */
    static Map<String, String> listeners(Config config) {
        Map<String, String> listeners = new LinkedHashMap<>();
        listeners.put("quarkus.http.host", config.getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0"));
        boolean separateGrpc = config.getOptionalValue("quarkus.grpc.server.use-separate-server", Boolean.class).orElse(true);
        if (separateGrpc && config.getOptionalValue("quarkus.grpc.server.port", Integer.class).isPresent()) {
            listeners.put("quarkus.grpc.server.host",
                    config.getOptionalValue("quarkus.grpc.server.host", String.class).orElse("0.0.0.0"));
        }
        if (config.getOptionalValue("quarkus.management.enabled", Boolean.class).orElse(false)) {
            listeners.put("quarkus.management.host",
                    config.getOptionalValue("quarkus.management.host", String.class).orElse("0.0.0.0"));
        }
        return listeners;
    }
}
