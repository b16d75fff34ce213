package dev.athanor.uploader.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.testing.MutableClock;
import dev.athanor.testing.keycloak.AthanorRealm;
import dev.athanor.testing.keycloak.JwtClaims;
import dev.athanor.testing.keycloak.KeycloakServer;
import dev.athanor.testing.keycloak.SharedKeycloak;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client-credentials tokens from the real Keycloak with the Athanor realm. */
class ClientCredentialsTokenSourceTest {

    static KeycloakServer keycloak;

    @TempDir
    Path dir;

    @BeforeAll
    static void keycloak() {
        keycloak = SharedKeycloak.get();
    }

    private Path secretFile(String secret) throws IOException {
        return Files.writeString(dir.resolve("client-secret"), secret + "\n");
    }

    @Test
    void fetchesAPodTokenThroughDiscoveryOfTheIssuer() throws IOException {
        MutableClock clock = new MutableClock(Instant.now());
        var source = ClientCredentialsTokenSource.checked(AuthorizationServer.ofIssuer(keycloak.issuer(), clock),
                AthanorRealm.UPLOADER_DEMO.clientId(), secretFile(AthanorRealm.UPLOADER_DEMO.secret()), clock);

        JwtClaims claims = JwtClaims.decode(source.token());

        assertThat(claims.issuer()).isEqualTo(keycloak.issuer());
        assertThat(claims.audience()).contains(AthanorRealm.AUDIENCE);
        assertThat(claims.string("azp")).isEqualTo("uploader-demo");
        assertThat(claims.strings(AthanorRealm.ROLES_CLAIM)).contains("project:demo:writer");
        // The realm gives access tokens 5 minutes (expires_in is 299 or 300, depending on rounding).
        assertThat(Duration.between(source.current().issuedAt(), source.current().expiresAt()))
                .isBetween(Duration.ofSeconds(290), Duration.ofMinutes(5));
        assertThat(source.current().toString()).doesNotContain(source.token());
    }

    @Test
    void keepsTheTokenForThreeQuartersOfItsLifetimeThenFetchesANewOne() throws IOException {
        MutableClock clock = new MutableClock(Instant.now());
        var source = new ClientCredentialsTokenSource(AuthorizationServer.ofIssuer(keycloak.issuer(), clock),
                "uploader-demo", secretFile("uploader-demo-dev-secret"), clock);
        String first = source.token();

        clock.advance(Duration.ofSeconds(200));
        assertThat(source.token()).as("still in its first three quarters").isSameAs(first);

        clock.advance(Duration.ofSeconds(30));
        String second = source.token();
        assertThat(second).isNotEqualTo(first);
        assertThat(JwtClaims.decode(second).string("jti")).isNotEqualTo(JwtClaims.decode(first).string("jti"));

        clock.advance(Duration.ofMinutes(10));
        assertThat(source.token()).as("long after expiry").isNotEqualTo(second);
    }

    @Test
    void renewForgetsTheRefusedTokenAtOnce() throws IOException {
        var source = new ClientCredentialsTokenSource(AuthorizationServer.ofIssuer(keycloak.issuer()),
                "uploader-demo", secretFile("uploader-demo-dev-secret"), java.time.Clock.systemUTC());
        String first = source.token();

        assertThat(source.renew("some other token")).isTrue();
        assertThat(source.token()).as("another token was refused: keep ours").isSameAs(first);
        assertThat(source.renew(first)).isTrue();
        assertThat(source.token()).isNotEqualTo(first);
    }

    @Test
    void aTokenUrlWorksWithoutDiscovery() throws IOException {
        var source = new ClientCredentialsTokenSource(
                AuthorizationServer.ofTokenEndpoint(keycloak.issuer() + "/protocol/openid-connect/token"),
                "uploader-other", secretFile("uploader-other-dev-secret"), java.time.Clock.systemUTC());

        assertThat(JwtClaims.decode(source.token()).strings(AthanorRealm.ROLES_CLAIM))
                .containsExactlyInAnyOrder("project:other:writer", "project:other:reader");
    }

    @Test
    void aWrongSecretIsRefusedWithAMessageNamingTheClientAndTheFileButNotTheSecret() throws IOException {
        Path file = secretFile("not-the-secret");
        var source = new ClientCredentialsTokenSource(AuthorizationServer.ofIssuer(keycloak.issuer()),
                "uploader-demo", file, java.time.Clock.systemUTC());

        assertThatThrownBy(source::token)
                // Keycloak 26 says 401 unauthorized_client (RFC 6749 would say invalid_client).
                .isInstanceOfSatisfying(TokenRequestRefused.class, e -> assertThat(e.httpStatus()).isEqualTo(401))
                .hasMessageContaining("Invalid client or Invalid client credentials")
                .hasMessageContaining("check the client id")
                .hasMessageContaining("'uploader-demo'")
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining("not-the-secret");
    }

    @Test
    void aRotatedSecretFileIsReadOnTheNextFetch() throws IOException {
        MutableClock clock = new MutableClock(Instant.now());
        Path file = secretFile("uploader-demo-dev-secret");
        var source = new ClientCredentialsTokenSource(AuthorizationServer.ofIssuer(keycloak.issuer(), clock),
                "uploader-demo", file, clock);
        source.token();

        Files.writeString(file, "rotated-but-not-in-keycloak\n");
        assertThat(source.token()).as("the token is still valid: no fetch").isNotNull();
        clock.advance(Duration.ofMinutes(4));
        assertThatThrownBy(source::token).isInstanceOf(TokenRequestRefused.class)
                .hasMessageNotContaining("rotated-but-not-in-keycloak");

        Files.writeString(file, "uploader-demo-dev-secret");
        assertThat(JwtClaims.decode(source.token()).string("azp")).isEqualTo("uploader-demo");
    }

    @Test
    void anUnknownRealmIsNamedAsAWrongIssuer() throws IOException {
        var source = new ClientCredentialsTokenSource(AuthorizationServer.ofIssuer(keycloak.baseUrl() + "/realms/nope"),
                "uploader-demo", secretFile("uploader-demo-dev-secret"), java.time.Clock.systemUTC());

        assertThatThrownBy(source::token).isNotInstanceOf(AuthorizationServerUnavailable.class)
                .hasMessageContaining("/realms/nope/.well-known/openid-configuration answered HTTP 404")
                .hasMessageContaining("issuer URL");
    }

    @Test
    void anUnreachableServerIsUnavailableNotRefused() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        var source = new ClientCredentialsTokenSource(
                AuthorizationServer.ofIssuer("http://127.0.0.1:" + closedPort + "/realms/athanor"),
                "uploader-demo", secretFile("uploader-demo-dev-secret"), java.time.Clock.systemUTC());

        assertThatThrownBy(source::token).isInstanceOf(AuthorizationServerUnavailable.class)
                .hasMessageContaining("cannot reach http://127.0.0.1:" + closedPort);
    }

    @Test
    void badSettingsAreRefusedBeforeAnyRequest() throws IOException {
        var server = AuthorizationServer.ofIssuer(keycloak.issuer());
        assertThatThrownBy(() -> ClientCredentialsTokenSource.checked(server, "uploader-demo",
                dir.resolve("missing"), java.time.Clock.systemUTC()))
                .hasMessageContaining("cannot read client secret file " + dir.resolve("missing"));
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> ClientCredentialsTokenSource.checked(server, "uploader-demo", empty,
                java.time.Clock.systemUTC())).hasMessageContaining("client secret file " + empty + " is empty");
        assertThatThrownBy(() -> AuthorizationServer.ofIssuer("keycloak:8080/realms/athanor"))
                .hasMessageContaining("is not an http:// or https:// URL");
        assertThatThrownBy(() -> AuthorizationServer.ofTokenEndpoint("ftp://kc/token"))
                .hasMessageContaining("token URL ftp://kc/token is not an http:// or https:// URL");
    }
}
