package dev.athanor.query.info.api;

import dev.athanor.auth.AuthConfig;
import dev.athanor.auth.AuthSettings;
import dev.athanor.query.config.QueryConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Public (no token; its rule in QueryAccessRules): tells the web UI and the CLI which version they talk to and whether and how
 * to sign in. It names only public things (the issuer URL, a public client id).
 */
@Path("/api/v1/info")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "info")
public class InfoResource {

    private final ServiceInfo info;

    @Inject
    public InfoResource(@ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version,
                        AuthSettings auth, AuthConfig authConfig, QueryConfig config) {
        this(version, auth.enabled(), auth.serverUrl(), authConfig.web().issuer(), authConfig.web().clientId(),
                authConfig.web().scopes(), config.dataProvider().port());
    }

    public InfoResource(String version, boolean authEnabled, Optional<String> serverIssuer,
                        Optional<String> browserIssuer, String clientId, String scopes, int dataProviderPort) {
        // The browser may reach Keycloak under another URL than the service does (in-cluster vs. ingress).
        ServiceInfo.Auth auth = authEnabled
                ? new ServiceInfo.Auth(true, browserIssuer.or(() -> serverIssuer).orElse(null), clientId, scopes)
                : ServiceInfo.Auth.off();
        this.info = new ServiceInfo("athanor-query-service", version, auth,
                dataProviderPort > 0 ? new ServiceInfo.DataProvider(dataProviderPort) : null);
    }

    @GET
    @Operation(summary = "Service version and sign-in settings (public, no token)")
    public ServiceInfo info() {
        return info;
    }
}
