package dev.athanor.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.athanor.cli.auth.LoginTokens;
import dev.athanor.cli.auth.TokenStore;
import dev.athanor.cli.testing.Cli;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the client does when the server is not (or not only) Athanor's query service: nothing
 * listening, a web server that answers HTML, no such endpoint, refused credentials. A small JDK
 * HTTP server plays the wrong server; the real service is exercised by the command tests.
 */
class AthanorClientTest {

    @TempDir
    Path temp;

    private HttpServer http;
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String contentType = "text/html";
    private volatile String body = "<html><body>Welcome to nginx!</body></html>";

    @BeforeEach
    void wrongServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Test
    void connectionRefusedNamesTheServerAndHowToPointElsewhere() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Cli.Outcome outcome = Cli.run("runs", "list", "--server", "http://127.0.0.1:" + closedPort);
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).startsWith("athanor runs list: cannot reach the query service at http://127.0.0.1:"
                + closedPort + " (connection refused)").contains("--server or ATHANOR_SERVER");
        Cli.Outcome check = Cli.run("check", "--run", "1", "metrics.loss < 1", "--server", "127.0.0.1:" + closedPort);
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.stderr()).contains("cannot reach the query service at http://127.0.0.1:" + closedPort);
    }

    @Test
    void aWebPageIsNotMistakenForTheApi() {
        Cli.Outcome outcome = Cli.run("runs", "list", "--server", url());
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).contains("answered with text/html that is not Athanor's JSON")
                .contains("Welcome to nginx!").contains("is --server (" + url() + ") the Athanor query service?");
        Cli.Outcome export = Cli.run("export", "--experiment", "7", "--server", url());
        assertThat(export.exitCode()).isEqualTo(2);
        assertThat(export.stderr()).contains("is --server (" + url() + ") the Athanor query service?");
    }

    @Test
    void aNotFoundWithoutAnAthanorBodyMeansNoSuchEndpoint() {
        status = 404;
        body = "Not Found";
        contentType = "text/plain";
        Cli.Outcome outcome = Cli.run("runs", "show", "5", "--server", url() + "/api/v1/");
        assertThat(outcome.exitCode()).isEqualTo(2);
        // A trailing /api/v1 in --server is accepted: the request goes to /api/v1/runs/5, not /api/v1/api/v1/...
        assertThat(outcome.stderr()).contains("GET " + url() + "/api/v1/runs/5: HTTP 404 without an Athanor error body");
    }

    @Test
    void anAthanorErrorBodyIsShownAsIs() {
        status = 404;
        contentType = "application/json";
        body = "{\"status\":404,\"error\":\"NOT_FOUND\",\"message\":\"run 5 not found\",\"where\":\"runId\"}";
        Cli.Outcome outcome = Cli.run("runs", "show", "5", "--server", url());
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).isEqualTo("athanor runs show: run 5 not found\n");
    }

    @Test
    void theTokenIsSentAsABearerAndARefusalSaysHowToFixIt() throws IOException {
        status = 401;
        contentType = "text/plain";
        body = "";
        Path token = temp.resolve("token");
        Files.writeString(token, "s3cret\n");
        Cli.Outcome outcome = Cli.run("runs", "list", "--server", url(), "--token-file", token.toString());
        assertThat(authorization.get()).isEqualTo("Bearer s3cret");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).contains("the server refused the request (HTTP 401)")
                .contains("the token in --token-file " + token + " was not accepted")
                .contains("--token-file or ATHANOR_TOKEN").doesNotContain("s3cret");
    }

    @Test
    void theTokenComesFromTheEnvironmentWhenNoFileIsGiven() {
        ServerOptions options = new ServerOptions();
        options.server = url();
        contentType = "application/json";
        body = "{\"items\":[],\"total\":0}";
        LoginTokens noLogins = new LoginTokens(new TokenStore(temp.resolve("config")), Clock.systemUTC());
        options.connect(Map.of(ServerOptions.TOKEN_ENV, "from-env"), noLogins).get("/api/v1/experiments", Query.of());
        assertThat(authorization.get()).isEqualTo("Bearer from-env");
        options.connect(Map.of(), noLogins).get("/api/v1/experiments", Query.of());
        assertThat(authorization.get()).isNull();
    }

    @Test
    void unusableOptionsAreRefusedBeforeAnythingIsSent() {
        Cli.Outcome missingToken = Cli.run("runs", "list", "--server", url(), "--token-file", temp.resolve("none").toString());
        assertThat(missingToken.exitCode()).isEqualTo(2);
        assertThat(missingToken.stderr()).contains("--token-file " + temp.resolve("none") + " cannot be read");
        assertThat(authorization.get()).isNull();
        assertThatThrownBy(() -> ServerOptions.serverUrl("ftp://host")).isInstanceOf(ClientFailure.class)
                .hasMessageContaining("not an http:// or https:// URL");
        assertThat(ServerOptions.serverUrl("localhost:8080")).isEqualTo("http://localhost:8080");
        assertThat(AthanorClient.normalize("http://h:1/api/v1/")).isEqualTo("http://h:1");
    }

    @Test
    void queryParametersAreEncoded() {
        assertThat(Query.of().add("filter", "name ~ \"a+b\" & x").add("empty", "").add("none", null)
                .addAll("tag", java.util.List.of("a/b", "c,d")).encoded())
                .isEqualTo("?filter=name%20%7E%20%22a%2Bb%22%20%26%20x&tag=a%2Fb&tag=c%2Cd");
        assertThat(Resolver.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }
}
