package dev.athanor.auth;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The auth switch and what the refusal messages compare tokens against. Verification itself is
 * quarkus-oidc's ({@code quarkus.oidc.*}, enabled by {@code quarkus.oidc.tenant-enabled=${athanor.auth.enabled}}).
 */
@ApplicationScoped
public class AuthSettings {

    /** The audience every Athanor token carries (docs/auth.md). */
    public static final String DEFAULT_AUDIENCE = "athanor-api";

    private final boolean enabled;
    private final String issuer;
    private final String audience;

    public AuthSettings(@ConfigProperty(name = "athanor.auth.enabled", defaultValue = "false") boolean enabled,
                        @ConfigProperty(name = "quarkus.oidc.token.issuer") Optional<String> tokenIssuer,
                        @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> serverUrl,
                        @ConfigProperty(name = "quarkus.oidc.token.audience") Optional<List<String>> audience) {
        this.enabled = enabled;
        this.issuer = tokenIssuer.filter(i -> !i.equals("any")).or(() -> serverUrl).orElse(null);
        this.audience = audience.filter(a -> !a.isEmpty()).map(a -> a.get(0)).orElse(DEFAULT_AUDIENCE);
    }

    /** Whether every call needs a valid bearer token. Off: one local user with every right (loopback only). */
    public boolean enabled() {
        return enabled;
    }

    /** The issuer tokens must carry (the realm URL), for messages; null when auth is off. */
    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }
}
