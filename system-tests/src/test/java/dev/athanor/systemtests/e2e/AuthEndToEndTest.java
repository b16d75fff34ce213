package dev.athanor.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.cli.tensorboard.DataProviderAddress;
import dev.athanor.cli.tensorboard.DataProviderProxy;
import dev.athanor.cli.tensorboard.ExperimentScope;
import dev.athanor.cli.tensorboard.ServerFailureLog;
import dev.athanor.cli.testing.Cli;
import dev.athanor.cli.testing.ExportableRecords;
import dev.athanor.cli.testing.LoginRun;
import dev.athanor.cli.testing.SmallSweep;
import dev.athanor.cli.testing.TestKeycloak;
import dev.athanor.proto.tensorboard.data.GetExperimentRequest;
import dev.athanor.proto.tensorboard.data.TensorBoardDataProviderGrpc;
import dev.athanor.systemtests.harness.AuthSuite;
import dev.athanor.systemtests.harness.BackgroundCli;
import dev.athanor.systemtests.harness.TensorBoardHttp;
import dev.athanor.testing.Await;
import dev.athanor.testing.OptionalPart;
import dev.athanor.testing.TensorBoardPython;
import dev.athanor.testing.keycloak.AthanorRealm;
import dev.athanor.testing.keycloak.DeviceVerification;
import dev.athanor.testing.keycloak.KeycloakServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auth from end to end, with every part real: Keycloak (started by the test run with the Athanor
 * realm imported), query-service and ingest-service with auth ON (their built jars), the uploader
 * as a training pod of project {@code demo} getting its own token with client credentials
 * ({@code uploader-demo}), and people's tokens (password grant of the test client, and one device
 * login through {@code athanor login}) used by the CLI. A reader of demo sees the upload, also in
 * stock TensorBoard through {@code athanor tensorboard}; a reader and a pod of project {@code other}
 * see nothing of it (TensorBoard's data provider refuses them too) and cannot write into it; no token is 401.
 */
class AuthEndToEndTest {

    static final String EXPERIMENT = "auth-e2e";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration INDEX_TIMEOUT = Duration.ofSeconds(120);
    static final Pattern TENSORBOARD_URL = Pattern.compile(" at (http://\\S+/)");

    @TempDir
    static Path temp;

    static KeycloakServer keycloak;
    static AuthSuite suite;
    static Path logdir;
    static String demoReader;
    static String otherReader;
    static Path demoReaderFile;
    static Path otherReaderFile;
    static long experimentId;

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
        experimentId = json(suite.get("/api/v1/experiments?name=" + EXPERIMENT, demoReader)).path("items").get(0)
                .get("id").asLong();
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
        AtomicLong seen = new AtomicLong(-1);
        Await.until(() -> EXPERIMENT + " to be indexed: the export has " + seen.get() + " values, expected " + expected,
                INDEX_TIMEOUT, Duration.ofMillis(250), () -> {
                    JsonNode items = json(suite.get("/api/v1/experiments?name=" + EXPERIMENT, demoReader)).path("items");
                    if (items.isEmpty()) {
                        return false;
                    }
                    long id = items.get(0).get("id").asLong();
                    seen.set(suite.get("/api/v1/export?experiment=" + id, demoReader).body().lines().count());
                    return seen.get() == expected;
                });
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

    @Test
    void aReaderOfTheProjectSeesTheExperimentInStockTensorBoard() throws Exception {
        Path python = TensorBoardPython.withTensorBoard().orElse(null);
        OptionalPart.TENSORBOARD.assumePresent(python != null, TensorBoardPython::missing);

        try (BackgroundCli tensorBoard = BackgroundCli.start("tensorboard", "--experiment", EXPERIMENT,
                "--project", "demo", "--server", suite.server(), "--token-file", demoReaderFile.toString(),
                "--data-provider", suite.dataProviderEndpoint(), "--python", python.toString(), "--port", "0")) {
            TensorBoardHttp http = new TensorBoardHttp(tensorBoard.awaitOutput(TENSORBOARD_URL, Duration.ofMinutes(3)));

            TreeSet<String> runs = new TreeSet<>();
            http.get("data/runs").json().forEach(run -> runs.add(run.asText()));
            assertThat(runs).as(tensorBoard.toString()).containsExactly("diverged", "good", "sweep/eval");
            JsonNode scalars = http.get("data/plugin/scalars/tags").json();
            assertThat(scalars.path("good").has("val_accuracy")).as(scalars.toString()).isTrue();
            assertThat(tensorBoard.stdout()).contains("TensorBoard shows experiment '" + EXPERIMENT + "' (id "
                    + experimentId + ", project demo)");
            assertThat(tensorBoard.stop()).isZero();
        }
    }

    @Test
    void aReaderOfAnotherProjectIsRefusedBeforeTensorBoardStarts() {
        // A Python that does not exist: the experiment is resolved (and refused) before TensorBoard is looked for.
        Cli.Outcome refused = Cli.run("tensorboard", "--experiment", EXPERIMENT, "--project", "demo",
                "--server", suite.server(), "--token-file", otherReaderFile.toString(),
                "--data-provider", suite.dataProviderEndpoint(), "--python", "/nonexistent/python", "--port", "0");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.stderr()).contains("athanor tensorboard: experiment '" + EXPERIMENT
                + "' not found in project 'demo'");
        assertThat(refused.stdout()).doesNotContain("TensorBoard shows");
    }

    @Test
    void theDataProviderRefusesAnotherProjectsReaderEvenForThePinnedExperiment() throws Exception {
        assertThat(getExperiment(Optional.of(demoReader), new StringWriter())).isEqualTo(Status.Code.OK);

        StringWriter log = new StringWriter();
        assertThat(getExperiment(Optional.of(otherReader), log)).isIn(Status.Code.PERMISSION_DENIED,
                Status.Code.NOT_FOUND);
        assertThat(log.toString()).startsWith("athanor tensorboard: ");

        StringWriter noTokenLog = new StringWriter();
        assertThat(getExperiment(Optional.empty(), noTokenLog)).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(noTokenLog.toString()).contains("athanor login --server " + suite.server());
    }

    /** GetExperiment of the uploaded experiment through a proxy sending {@code token}; the status code. */
    private static Status.Code getExperiment(Optional<String> token, StringWriter log) throws Exception {
        DataProviderAddress address = DataProviderAddress.of(suite.dataProviderEndpoint(), suite.server(), null);
        try (DataProviderProxy proxy = DataProviderProxy.start(address,
                new ExperimentScope(Long.toString(experimentId), "'" + EXPERIMENT + "'"), () -> token,
                new ServerFailureLog(new PrintWriter(log, true), address.target(), suite.server()))) {
            ManagedChannel channel = ManagedChannelBuilder.forTarget(proxy.address()).usePlaintext().build();
            try {
                TensorBoardDataProviderGrpc.newBlockingStub(channel).getExperiment(GetExperimentRequest.getDefaultInstance());
                return Status.Code.OK;
            } catch (StatusRuntimeException e) {
                return e.getStatus().getCode();
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
