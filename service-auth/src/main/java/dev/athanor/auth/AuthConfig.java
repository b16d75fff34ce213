package dev.athanor.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The {@code athanor.auth.*} settings of every service, with their defaults (written only here).
 * Token verification itself is quarkus-oidc's ({@code quarkus.oidc.*}, enabled by
 * {@code quarkus.oidc.tenant-enabled=${athanor.auth.enabled}}); {@link AuthSettings} combines both.
 */
@ConfigMapping(prefix = "athanor.auth")
public interface AuthConfig {

    /** Whether every call needs a valid bearer token. Off: one local user with every right (loopback only). */
    @WithDefault("false")
    boolean enabled();

    /** How the web UI signs in (query-service tells it through /api/v1/info). */
    Web web();

    interface Web {
        /** The issuer as the browser reaches it, when that differs from quarkus.oidc.auth-server-url. */
        Optional<String> issuer();

        /** The public OIDC client of the web UI. */
        @WithDefault("athanor-web")
        String clientId();

        @WithDefault("openid profile email")
        String scopes();
    }
}
