package dev.athanor.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.cli.auth.StoredLogin;
import dev.athanor.cli.auth.TokenStore;
import dev.athanor.cli.client.AthanorClient;
import dev.athanor.cli.testing.Cli;
import dev.athanor.cli.testing.ExportableRecords;
import dev.athanor.cli.testing.SmallSweep;
import dev.athanor.cli.testing.TestKeycloak;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import dev.athanor.systemtests.harness.AuthSuite;
import dev.athanor.testing.OptionalPart;
import dev.athanor.testing.keycloak.AthanorRealm;
import dev.athanor.testing.keycloak.KeycloakServer;
import dev.athanor.testing.keycloak.TokenResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 4: the Python client ({@code clients/python}) passes its pytest suite against the
 * real local suite — the shared fixtures uploaded through the real uploader (its {@code runs()}
 * and {@code scalars()} must equal the export), and with auth on against the real Keycloak
 * (no token, another project's reader, a stored login of {@code athanor login}'s file refreshed,
 * client credentials). The interpreter is {@code ATHANOR_CLIENT_PYTHON}, a venv that
 * {@code .ci/run} makes with pandas, httpx and pytest; without it the test skips and says how to
 * make one. pytest's output goes into this test's log.
 */
@ExtendWith(UploadedSuiteExtension.class)
class PythonClientTest {

    static final String PYTHON_ENV = "ATHANOR_CLIENT_PYTHON";
    static final Duration PYTEST_TIMEOUT = Duration.ofMinutes(10);
    static final String AUTH_EXPERIMENT = "python-client-auth";
    static final ObjectMapper JSON = new ObjectMapper();

    static Path python;
    static Path clientDir;

    @TempDir
    static Path temp;

    @BeforeAll
    static void findPython() throws IOException, InterruptedException {
        String configured = System.getenv(PYTHON_ENV);
        OptionalPart.CLIENT_PYTHON.assumePresent(configured != null && !configured.isBlank(), PYTHON_ENV + " is unset: no Python for "
                + "the Python client's tests. Make one with: python3 -m venv target/client-venv && "
                + "target/client-venv/bin/pip install pandas httpx pytest pillow, then export "
                + PYTHON_ENV + "=$PWD/target/client-venv/bin/python (.ci/run does this)");
        python = Path.of(configured);
        clientDir = UploadedSuite.repoRoot().resolve("clients/python");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import pandas, httpx, pytest")
                .redirectErrorStream(true).start();
        String said = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean usable = probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        if (!usable && System.getenv("CI") != null) {
            throw new AssertionError(PYTHON_ENV + "=" + python + " cannot import pandas, httpx and pytest: " + said);
        }
        OptionalPart.CLIENT_PYTHON.assumePresent(usable, PYTHON_ENV + "=" + python + " cannot import pandas, httpx and pytest ("
                + said.strip() + "); install them into it");
    }

    @Test
    void theClientsTestsPassAgainstTheUploadedFixtures(UploadedSuite suite) throws Exception {
        OptionalPart.FIXTURES.assumePresent(suite.fixtures().isPresent(),
                "the shared fixtures (../shared/fixtures/tfevents) are missing: runs() and scalars() are compared on them");
        int exit = pytest(Map.of("ATHANOR_URL", suite.server(),
                "ATHANOR_TEST_EXPERIMENT", UploadedSuite.FIXTURES_EXPERIMENT), "tests");
        assertThat(exit).as("pytest's exit code (its output is above in the log)").isZero();
    }

    @Test
    void theClientsAuthTestsPassWithKeycloak() throws Exception {
        KeycloakServer keycloak = TestKeycloak.get();
        try (AuthSuite suite = AuthSuite.start(keycloak.issuer())) {
            Path logdir = temp.resolve("logdir");
            SmallSweep.write(logdir);
            Path secret = Files.writeString(temp.resolve("uploader-demo.secret"), "uploader-demo-dev-secret\n");
            Cli.Outcome upload = Cli.run("upload", "--once", "--progress", "QUIET", "--retry-timeout", "PT30S",
                    "--logdir", logdir.toString(), "--experiment", AUTH_EXPERIMENT, "--project", "demo",
                    "--endpoint", suite.grpcEndpoint(), "--issuer", keycloak.issuer(),
                    "--client-id", "uploader-demo", "--client-secret-file", secret.toString());
            assertThat(upload.exitCode()).as("the demo pod uploads: " + upload).isZero();

            TokenResponse demoReader = keycloak.tokens().password(AthanorRealm.TEST_CLIENT, "demo-reader", "demo-reader");
            String otherReader = keycloak.tokens().password(AthanorRealm.TEST_CLIENT, "other-reader", "other-reader")
                    .accessToken();
            awaitIndexed(suite, demoReader.accessToken(), ExportableRecords.of(logdir).size());

            // A login as `athanor login` stores it, written by the CLI's own store, with an access
            // token that has run out: the client must refresh it and write the new one back.
            Path configDir = temp.resolve("config");
            String serverKey = AthanorClient.normalize(suite.server());
            TokenStore store = new TokenStore(configDir);
            store.put(serverKey, new StoredLogin(keycloak.issuer(), AthanorRealm.TEST_CLIENT, "demo-reader",
                    "expired-access-token", Instant.now().minusSeconds(60), demoReader.refreshToken(), null));

            int exit = pytest(Map.of(
                    "ATHANOR_AUTH_URL", suite.server(),
                    "ATHANOR_AUTH_EXPERIMENT", AUTH_EXPERIMENT,
                    "ATHANOR_AUTH_ISSUER", keycloak.issuer(),
                    "ATHANOR_AUTH_READER_TOKEN", demoReader.accessToken(),
                    "ATHANOR_AUTH_OTHER_TOKEN", otherReader,
                    "ATHANOR_AUTH_CONFIG_DIR", configDir.toString(),
                    "ATHANOR_AUTH_CLIENT_ID", "uploader-demo",
                    "ATHANOR_AUTH_CLIENT_SECRET_FILE", secret.toString()), "tests/test_auth.py");
            assertThat(exit).as("pytest's exit code (its output is above in the log)").isZero();

            // What Python wrote back is still a login the CLI reads, now with a live access token.
            StoredLogin refreshed = store.get(serverKey).orElseThrow();
            assertThat(refreshed.accessToken()).isNotEqualTo("expired-access-token");
            assertThat(refreshed.accessExpiresAt()).isAfter(Instant.now());
            assertThat(refreshed.username()).isEqualTo("demo-reader");
            assertThat(suite.get("/api/v1/experiments?name=" + AUTH_EXPERIMENT, refreshed.accessToken()).statusCode())
                    .isEqualTo(200);
        }
    }

    /** Runs pytest on {@code target} (relative to clients/python) with the source tree on the path. */
    private static int pytest(Map<String, String> environment, String target) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python.toString(), "-m", "pytest", "-v", "-rs",
                "-p", "no:cacheprovider", target));
        ProcessBuilder builder = new ProcessBuilder(command).directory(clientDir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // Only what the test sets: never a developer's own server, token or login.
        env.keySet().removeIf(key -> key.startsWith("ATHANOR_"));
        env.putAll(environment);
        env.put("ATHANOR_CONFIG_DIR", Files.createDirectories(temp.resolve("no-login")).toString());
        env.put("PYTHONPATH", clientDir.resolve("src").toString());
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        System.out.println("[pytest] " + String.join(" ", command) + " in " + clientDir);
        Process process = builder.start();
        Thread pump = Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    System.out.println("[pytest] " + line);
                }
            } catch (IOException e) {
                System.out.println("[pytest] (output ended: " + e.getMessage() + ")");
            }
        });
        if (!process.waitFor(PYTEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("pytest did not end within " + PYTEST_TIMEOUT.toMinutes() + " minutes");
        }
        pump.join(10_000);
        return process.exitValue();
    }

    private static void awaitIndexed(AuthSuite suite, String token, int expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        long seen = -1;
        while (Instant.now().isBefore(deadline)) {
            JsonNode items = json(suite.get("/api/v1/experiments?name=" + AUTH_EXPERIMENT, token).body()).path("items");
            if (!items.isEmpty()) {
                seen = suite.get("/api/v1/export?experiment=" + items.get(0).get("id").asLong(), token)
                        .body().lines().count();
                if (seen == expected) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError(AUTH_EXPERIMENT + " was not indexed within 120 s: the export has " + seen
                + " values, expected " + expected);
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }
}
