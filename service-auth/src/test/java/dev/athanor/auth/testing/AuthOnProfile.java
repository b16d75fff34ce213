package dev.athanor.auth.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.util.List;
import java.util.Map;

/**
 * Auth on, verifying against the OIDC test server (WireMock serving discovery and a JWKS); tests
 * sign their own tokens with its key ({@link TestTokens}).
 */
public class AuthOnProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "athanor.auth.enabled", "true",
                "quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus",
                "quarkus.oidc.token.issuer", TestTokens.ISSUER);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(OidcWiremockTestResource.class));
    }
}
