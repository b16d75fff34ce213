package dev.athanor.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The auth switch ({@link AuthConfig}) and what the refusal messages compare tokens against, read
 * from quarkus-oidc's own keys. Verification itself is quarkus-oidc's ({@code quarkus.oidc.*},
 * enabled by {@code quarkus.oidc.tenant-enabled=${athanor.auth.enabled}}).
 */
@ApplicationScoped
public class AuthSettings {

    /** The audience every Athanor token carries (docs/auth.md). */
    public static final String DEFAULT_AUDIENCE = "athanor-api";

    private final boolean enabled;
    private final Optional<String> serverUrl;
    private final String issuer;
    private final String audience;

    @Inject
    public AuthSettings(AuthConfig config,
                        @ConfigProperty(name = "quarkus.oidc.token.issuer") Optional<String> tokenIssuer,
                        @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> serverUrl,
                        @ConfigProperty(name = "quarkus.oidc.token.audience") Optional<List<String>> audience) {
        this(config.enabled(), tokenIssuer, serverUrl, audience);
    }

    public AuthSettings(boolean enabled, Optional<String> tokenIssuer, Optional<String> serverUrl,
                        Optional<List<String>> audience) {
        this.enabled = enabled;
        this.serverUrl = serverUrl;
        this.issuer = tokenIssuer.filter(i -> !i.equals("any")).or(() -> serverUrl).orElse(null);
        this.audience = audience.filter(a -> !a.isEmpty()).map(a -> a.get(0)).orElse(DEFAULT_AUDIENCE);
    }

    /** Whether every call needs a valid bearer token. Off: one local user with every right (loopback only). */
    public boolean enabled() {
        return enabled;
    }

    /** The realm URL this service verifies tokens against ({@code quarkus.oidc.auth-server-url}). */
    public Optional<String> serverUrl() {
        return serverUrl;
    }

    /** The issuer tokens must carry (the realm URL), for messages; null when auth is off. */
    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }
}
