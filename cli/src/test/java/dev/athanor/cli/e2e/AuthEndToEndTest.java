package dev.athanor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.cli.testing.AuthSuite;
import dev.athanor.cli.testing.Cli;
import dev.athanor.cli.testing.ExportableRecords;
import dev.athanor.cli.testing.LoginRun;
import dev.athanor.cli.testing.SmallSweep;
import dev.athanor.cli.testing.TestKeycloak;
import dev.athanor.testing.keycloak.AthanorRealm;
import dev.athanor.testing.keycloak.DeviceVerification;
import dev.athanor.testing.keycloak.KeycloakServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auth from end to end, with every part real: Keycloak (started by the test run with the Athanor
 * realm imported), query-service and ingest-service with auth ON (their built jars), the uploader
 * as a training pod of project {@code demo} getting its own token with client credentials
 * ({@code uploader-demo}), and people's tokens (password grant of the test client, and one device
 * login through {@code athanor login}) used by the CLI. A reader of demo sees the upload; a reader
 * and a pod of project {@code other} see nothing of it and cannot write into it; no token is 401.
 */
class AuthEndToEndTest {

    static final String EXPERIMENT = "auth-e2e";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration INDEX_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    static Path temp;

    static KeycloakServer keycloak;
    static AuthSuite suite;
    static Path logdir;
    static String demoReader;
    static String otherReader;
    static Path demoReaderFile;
    static Path otherReaderFile;

    @BeforeAll
    static void startAndUploadAsAPod() throws Exception {
        keycloak = TestKeycloak.get();
        suite = AuthSuite.start(keycloak.issuer());
        demoReader = keycloak.tokens().password(AthanorRealm.TEST_CLIENT, "demo-reader", "demo-reader").accessToken();
        otherReader = keycloak.tokens().password(AthanorRealm.TEST_CLIENT, "other-reader", "other-reader").accessToken();
        demoReaderFile = Files.writeString(temp.resolve("demo-reader.token"), demoReader);
        otherReaderFile = Files.writeString(temp.resolve("other-reader.token"), otherReader);

        logdir = temp.resolve("logdir");
        SmallSweep.write(logdir);
        Cli.Outcome upload = upload("uploader-demo", "demo");
        assertThat(upload.exitCode()).as("the demo pod uploads with its client credentials: " + upload).isZero();
        assertThat(upload.stderr()).doesNotContain("uploader-demo-dev-secret");
        awaitIndexed();
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    private static Cli.Outcome upload(String client, String project) throws IOException {
        Path secret = Files.writeString(temp.resolve(client + ".secret"), client + "-dev-secret\n");
        return Cli.run("upload", "--once", "--progress", "QUIET", "--retry-timeout", "PT30S",
                "--logdir", logdir.toString(), "--experiment", EXPERIMENT, "--project", project,
                "--endpoint", suite.grpcEndpoint(),
                "--issuer", keycloak.issuer(), "--client-id", client, "--client-secret-file", secret.toString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(response.uri() + " answered " + response.statusCode() + ": " + response.body(), e);
        }
    }

    /** Ingest acknowledges once data is durable and indexes right after: wait for the index. */
    private static void awaitIndexed() throws InterruptedException {
        int expected = ExportableRecords.of(logdir).size();
        Instant deadline = Instant.now().plus(INDEX_TIMEOUT);
        long seen = -1;
        while (Instant.now().isBefore(deadline)) {
            JsonNode items = json(suite.get("/api/v1/experiments?name=" + EXPERIMENT, demoReader)).path("items");
            if (!items.isEmpty()) {
                long id = items.get(0).get("id").asLong();
                seen = suite.get("/api/v1/export?experiment=" + id, demoReader).body().lines().count();
                if (seen == expected) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(EXPERIMENT + " was not indexed within " + INDEX_TIMEOUT.toSeconds()
                + " s: the export has " + seen + " values, expected " + expected);
    }

    private static List<String> experimentNames(String token) {
        HttpResponse<String> response = suite.get("/api/v1/experiments?limit=1000", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        json(response).path("items").forEach(item -> names.add(item.get("project").asText() + "/" + item.get("name").asText()));
        return names;
    }

    @Test
    void aReaderOfTheProjectQueriesWhatThePodUploaded() {
        assertThat(experimentNames(demoReader)).contains("demo/" + EXPERIMENT);

        Cli.Outcome runs = Cli.run("runs", "list", "--server", suite.server(), "--token-file", demoReaderFile.toString(),
                "--experiment", EXPERIMENT, "--project", "demo", "--format", "csv");
        assertThat(runs.exitCode()).as(runs.toString()).isZero();
        assertThat(runs.stdout()).contains(",good,").contains(",diverged,").contains(",sweep/eval,");

        Cli.Outcome export = Cli.run("export", "--server", suite.server(), "--token-file", demoReaderFile.toString(),
                "--experiment", EXPERIMENT, "--project", "demo", "--quiet");
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(export.stdout().lines().count()).isEqualTo(ExportableRecords.of(logdir).size());

        Cli.Outcome check = Cli.run("check", "--server", suite.server(), "--token-file", demoReaderFile.toString(),
                "--experiment", EXPERIMENT, "--project", "demo", "--run", "good", "metrics.val_accuracy@last >= 0.9");
        assertThat(check.exitCode()).as(check.toString()).isZero();
    }

    @Test
    void aReaderOfAnotherProjectSeesNothingOfIt() {
        assertThat(experimentNames(otherReader)).noneMatch(name -> name.startsWith("demo/"));
        long id = json(suite.get("/api/v1/experiments?name=" + EXPERIMENT, demoReader)).path("items").get(0).get("id").asLong();
        assertThat(suite.get("/api/v1/experiments/" + id, otherReader).statusCode()).isEqualTo(404);
        assertThat(json(suite.get("/api/v1/runs?experiment=" + id, otherReader)).path("items")).isEmpty();

        Cli.Outcome runs = Cli.run("runs", "list", "--server", suite.server(), "--token-file", otherReaderFile.toString(),
                "--format", "csv");
        assertThat(runs.exitCode()).as(runs.toString()).isZero();
        assertThat(runs.stdout()).doesNotContain(EXPERIMENT);

        Cli.Outcome named = Cli.run("runs", "list", "--server", suite.server(), "--token-file", otherReaderFile.toString(),
                "--experiment", EXPERIMENT);
        assertThat(named.exitCode()).isEqualTo(2);
        assertThat(named.stderr()).contains("'" + EXPERIMENT + "' not found");
    }

    @Test
    void thePodOfAnotherProjectCannotWriteIntoDemo() throws IOException {
        Cli.Outcome upload = upload("uploader-other", "demo");

        assertThat(upload.exitCode()).as(upload.toString()).isEqualTo(4);
        assertThat(upload.stderr()).contains("PERMISSION_DENIED").contains("project 'demo'")
                .contains("'uploader-other'").doesNotContain("uploader-other-dev-secret");
    }

    @Test
    void aReaderCannotWrite() {
        Cli.Outcome upload = Cli.run("upload", "--once", "--progress", "QUIET", "--logdir", logdir.toString(),
                "--experiment", EXPERIMENT, "--project", "demo", "--endpoint", suite.grpcEndpoint(),
                "--token-file", demoReaderFile.toString());

        assertThat(upload.exitCode()).as(upload.toString()).isEqualTo(4);
        assertThat(upload.stderr()).contains("PERMISSION_DENIED").contains("writer").doesNotContain(demoReader);
    }

    @Test
    void withoutATokenEverythingIs401AndTheCliSaysHowToSignIn() {
        assertThat(suite.get("/api/v1/experiments", null).statusCode()).isEqualTo(401);
        assertThat(suite.get("/api/v1/runs", null).statusCode()).isEqualTo(401);
        assertThat(suite.get("/api/v1/export?experiment=1", null).statusCode()).isEqualTo(401);
        assertThat(suite.get("/api/v1/info", null).statusCode()).as("public: says where to sign in").isEqualTo(200);

        Cli.Outcome runs = Cli.run("runs", "list", "--server", suite.server());
        assertThat(runs.exitCode()).isEqualTo(2);
        assertThat(runs.stderr()).contains("HTTP 401").contains("athanor login --server " + suite.server());

        Cli.Outcome upload = Cli.run("upload", "--once", "--progress", "QUIET", "--logdir", logdir.toString(),
                "--experiment", EXPERIMENT, "--project", "demo", "--endpoint", suite.grpcEndpoint());
        assertThat(upload.exitCode()).as(upload.toString()).isEqualTo(4);
        assertThat(upload.stderr()).contains("UNAUTHENTICATED").contains("no token was given");
    }

    @Test
    void aPersonSignsInWithTheDeviceGrantAndTheCliUsesTheLogin() {
        LoginRun.Outcome login = LoginRun.run(uri -> DeviceVerification.approve(uri, "demo-reader", "demo-reader"),
                null, "--server", suite.server());
        assertThat(login.exitCode()).as(login.toString()).isZero();
        assertThat(login.stderr()).as("the issuer came from the server's /api/v1/info")
                .contains(keycloak.issuer() + "/device?user_code=");

        Cli.Outcome runs = Cli.run("runs", "list", "--server", suite.server(), "--experiment", EXPERIMENT,
                "--project", "demo", "--format", "csv");
        assertThat(runs.exitCode()).as(runs.toString()).isZero();
        assertThat(runs.stdout()).contains(",good,");

        assertThat(Cli.run("logout", "--server", suite.server()).exitCode()).isZero();
        assertThat(Cli.run("runs", "list", "--server", suite.server()).exitCode()).isEqualTo(2);
    }
}
