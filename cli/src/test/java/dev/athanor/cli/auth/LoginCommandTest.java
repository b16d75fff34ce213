package dev.athanor.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.athanor.cli.testing.Cli;
import dev.athanor.cli.testing.LoginRun;
import dev.athanor.cli.testing.TestKeycloak;
import dev.athanor.testing.keycloak.AthanorRealm;
import dev.athanor.testing.keycloak.DeviceVerification;
import dev.athanor.testing.keycloak.JwtClaims;
import dev.athanor.testing.keycloak.KeycloakServer;
import dev.athanor.testing.keycloak.TokenRequestRefused;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code athanor login} and {@code logout} against the real Keycloak: the device grant approved,
 * denied, slowed down and expired by a person played with plain HTTP form posts
 * ({@link DeviceVerification}); the stored tokens sent by the query commands and refreshed.
 * A small JDK HTTP server plays the query service's {@code /api/v1/info} and records the
 * {@code Authorization} header (the real service is in the end-to-end test).
 */
class LoginCommandTest {

    static KeycloakServer keycloak;
    static String quickIssuer;

    private HttpServer http;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile String info;

    @BeforeAll
    static void keycloak() {
        keycloak = TestKeycloak.get();
        quickIssuer = keycloak.issuer(TestKeycloak.QUICK_REALM);
    }

    @BeforeEach
    void queryService() throws IOException {
        info = "{\"service\":\"athanor-query-service\",\"version\":\"test\",\"auth\":{\"enabled\":true,\"issuer\":\""
                + quickIssuer + "\",\"clientId\":\"athanor-web\"}}";
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            if (path.equals("/api/v1/info")) {
                body = info.getBytes(StandardCharsets.UTF_8);
            } else {
                String header = exchange.getRequestHeaders().getFirst("Authorization");
                authorizations.add(header == null ? "(none)" : header);
                body = "{\"items\":[],\"total\":0}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private String server() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    private static StoredLogin stored(String server) throws IOException {
        return TokenStore.standard().get(server).orElseThrow(() -> new AssertionError("no login stored for " + server));
    }

    @Test
    void aPersonApprovesAndTheQueryCommandsSendTheStoredToken() throws Exception {
        LoginRun.Outcome login = LoginRun.run(uri -> DeviceVerification.approve(uri, "demo-reader", "demo-reader"),
                null, "--server", server());
        login.person().get();

        assertThat(login.exitCode()).as(login.toString()).isZero();
        assertThat(login.stderr()).contains("/realms/athanor-quick/device?user_code=")
                .containsPattern("shows the code [A-Z]{4}-[A-Z]{4}");
        assertThat(login.stdout()).contains("Signed in to " + server() + " as demo-reader with project:demo:reader");
        StoredLogin stored = stored(server());
        assertThat(stored.issuer()).as("from /api/v1/info").isEqualTo(quickIssuer);
        assertThat(stored.clientId()).isEqualTo("athanor-cli");
        assertThat(stored.refreshToken()).isNotBlank();
        assertThat(JwtClaims.decode(stored.accessToken()).string("azp")).isEqualTo("athanor-cli");
        assertThat(Files.getPosixFilePermissions(TokenStore.standard().file()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(login.stdout() + login.stderr()).doesNotContain(stored.accessToken()).doesNotContain(stored.refreshToken());

        Cli.Outcome list = Cli.run("runs", "list", "--server", server());
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(authorizations).containsExactly("Bearer " + stored.accessToken());
    }

    @Test
    void aTokenNearItsEndIsRefreshedBeforeUseAndStored() throws Exception {
        LoginRun.Outcome login = LoginRun.run(uri -> DeviceVerification.approve(uri, "demo-writer", "demo-writer"),
                null, "--server", server(), "--issuer", quickIssuer);
        assertThat(login.exitCode()).as(login.toString()).isZero();
        StoredLogin before = stored(server());
        // As if the 5-minute access token had 10 s left.
        TokenStore.standard().put(server(), new StoredLogin(before.issuer(), before.clientId(), before.username(),
                before.accessToken(), Instant.now().plusSeconds(10), before.refreshToken(), before.refreshExpiresAt()));

        Cli.Outcome list = Cli.run("runs", "list", "--server", server());

        assertThat(list.exitCode()).as(list.toString()).isZero();
        StoredLogin after = stored(server());
        assertThat(after.accessToken()).isNotEqualTo(before.accessToken());
        assertThat(after.accessExpiresAt()).isAfter(Instant.now().plusSeconds(200));
        assertThat(JwtClaims.decode(after.accessToken()).string("preferred_username")).isEqualTo("demo-writer");
        assertThat(authorizations).containsExactly("Bearer " + after.accessToken());
    }

    @Test
    void anEndedLoginSaysToSignInAgain() throws Exception {
        TokenStore.standard().put(server(), new StoredLogin(quickIssuer, "athanor-cli", "demo-reader", "old-access",
                Instant.now().minusSeconds(5), "not-a-refresh-token", null));

        Cli.Outcome list = Cli.run("runs", "list", "--server", server());

        assertThat(list.exitCode()).isEqualTo(2);
        assertThat(list.stderr()).contains("your login to " + server() + " as demo-reader has ended")
                .contains("Keycloak refused to refresh it: invalid_grant")
                .contains("athanor login --server " + server());
        assertThat(authorizations).as("nothing sent with a dead token").isEmpty();
    }

    @Test
    void deniedInTheBrowserEndsWithExitCodeOne() throws Exception {
        LoginRun.Outcome login = LoginRun.run(uri -> DeviceVerification.deny(uri, "demo-reader", "demo-reader"),
                null, "--server", server());
        login.person().get();

        assertThat(login.exitCode()).as(login.toString()).isEqualTo(1);
        assertThat(login.stderr()).contains("athanor login: the sign-in was denied in the browser");
        assertThat(TokenStore.standard().get(server())).isEmpty();
    }

    @Test
    void slowDownMakesThePollingFiveSecondsSlower() throws Exception {
        // Poll every 100 ms although the client's interval is 1 s: Keycloak answers slow_down.
        LoginRun.Outcome login = LoginRun.run(uri -> DeviceVerification.approve(uri, "demo-reader", "demo-reader"),
                Duration.ofMillis(100), "--server", server());

        assertThat(login.exitCode()).as(login.toString()).isZero();
        assertThat(login.stderr()).contains("the server asked to poll more slowly: every 5 s");
        assertThat(login.pollWaits()).first().isEqualTo(Duration.ofMillis(100));
        assertThat(login.pollWaits()).contains(Duration.ofMillis(5100));
    }

    @Test
    void aCodeNobodyApprovesExpires() {
        LoginRun.Outcome login = LoginRun.run(uri -> { }, null, "--server", server(),
                "--issuer", quickIssuer, "--client-id", TestKeycloak.SHORT_CLIENT);

        assertThat(login.exitCode()).as(login.toString()).isEqualTo(1);
        assertThat(login.stderr()).containsPattern("the code [A-Z]{4}-[A-Z]{4} expired before it was approved")
                .contains("run athanor login again");
    }

    @Test
    void aClientWithoutTheDeviceGrantIsNamed() {
        LoginRun.Outcome login = LoginRun.run(uri -> { }, null, "--server", server(),
                "--issuer", quickIssuer, "--client-id", AthanorRealm.WEB_CLIENT);

        assertThat(login.exitCode()).as(login.toString()).isEqualTo(2);
        assertThat(login.stderr()).contains("refused to start a sign-in for client 'athanor-web'").contains("--client-id");
    }

    @Test
    void aServerWithAuthOffHasNothingToSignInTo() {
        info = "{\"service\":\"athanor-query-service\",\"version\":\"test\",\"auth\":{\"enabled\":false}}";

        LoginRun.Outcome login = LoginRun.run(uri -> { }, null, "--server", server());

        assertThat(login.exitCode()).isEqualTo(2);
        assertThat(login.stderr()).contains("runs with auth off: there is nothing to sign in to");
    }

    @Test
    void logoutForgetsTheLoginAndRevokesItsRefreshToken() throws Exception {
        LoginRun.Outcome login = LoginRun.run(uri -> DeviceVerification.approve(uri, "other-reader", "other-reader"),
                null, "--server", server());
        assertThat(login.exitCode()).as(login.toString()).isZero();
        String refreshToken = stored(server()).refreshToken();

        Cli.Outcome logout = Cli.run("logout", "--server", server());

        assertThat(logout.exitCode()).as(logout.toString()).isZero();
        assertThat(logout.stdout()).contains("Logged out of " + server() + " (was other-reader); its refresh token was revoked");
        assertThat(TokenStore.standard().get(server())).isEmpty();
        var refused = org.assertj.core.api.Assertions.catchThrowableOfType(TokenRequestRefused.class,
                () -> keycloak.tokens(TestKeycloak.QUICK_REALM).post(keycloak.tokens(TestKeycloak.QUICK_REALM).tokenEndpoint(),
                        Map.of("grant_type", "refresh_token", "client_id", "athanor-cli", "refresh_token", refreshToken)));
        assertThat(refused.error()).isEqualTo("invalid_grant");

        Cli.Outcome again = Cli.run("logout", "--server", server());
        assertThat(again.stdout()).contains("Not logged in to " + server());

        Cli.Outcome list = Cli.run("runs", "list", "--server", server());
        assertThat(list.exitCode()).isZero();
        assertThat(authorizations).containsExactly("(none)");
    }
}
