package dev.athanor.uploader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.testing.keycloak.AthanorRealm;
import dev.athanor.testing.keycloak.JwtClaims;
import dev.athanor.testing.keycloak.KeycloakServer;
import dev.athanor.testing.keycloak.SharedKeycloak;
import dev.athanor.uploader.testing.FakeIngestServer;
import dev.athanor.uploader.testing.TestLogdir;
import dev.athanor.uploader.testing.TestOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uploader as a training pod: it fetches its own token from the real Keycloak (client
 * credentials of {@code uploader-demo}) and sends it to a fake ingest service that accepts only
 * tokens issued to that client.
 */
class ClientCredentialsUploadTest {

    static KeycloakServer keycloak;

    @TempDir
    Path dir;
    FakeIngestServer server;
    TestOptions test = new TestOptions();
    TestLogdir logdir;
    Path secretFile;

    @BeforeAll
    static void keycloak() {
        keycloak = SharedKeycloak.get();
    }

    @BeforeEach
    void start() throws Exception {
        server = new FakeIngestServer().start();
        logdir = new TestLogdir(dir.resolve("logs"));
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 50, 0);
        }
        secretFile = Files.writeString(dir.resolve("client-secret"), AthanorRealm.UPLOADER_DEMO.secret() + "\n");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static boolean issuedToUploaderDemo(String token) {
        try {
            JwtClaims claims = JwtClaims.decode(token);
            return "uploader-demo".equals(claims.string("azp")) && claims.audience().contains(AthanorRealm.AUDIENCE);
        } catch (RuntimeException notAJwt) {
            return false;
        }
    }

    private UploadOptions.Builder podOptions() {
        return test.builder(logdir.root(), server.endpoint()).once(true).project("demo")
                .clientCredentials(keycloak.issuer(), "uploader-demo", secretFile);
    }

    @Test
    void thePodFetchesItsTokenAndUploads() throws Exception {
        server.acceptTokens(ClientCredentialsUploadTest::issuedToUploaderDemo);

        UploadResult result = Uploader.run(podOptions().build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        logdir.assertUploadedExactly(server.store(), result.experimentId());
        assertThat(server.tokensSeen()).as("one token serves the whole short upload").hasSize(1);
        assertThat(test.output()).doesNotContain(server.tokensSeen().get(0))
                .doesNotContain(AthanorRealm.UPLOADER_DEMO.secret());
    }

    @Test
    void aRefusedTokenIsRenewedOnceAndTheUploadGoesOn() throws Exception {
        // The server refuses the first token it sees (as if it had expired), and accepts later ones.
        AtomicReference<String> first = new AtomicReference<>();
        server.acceptTokens(token -> {
            first.compareAndSet(null, token);
            return issuedToUploaderDemo(token) && !token.equals(first.get());
        });

        UploadResult result = Uploader.run(podOptions().build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        logdir.assertUploadedExactly(server.store(), result.experimentId());
        assertThat(server.tokensSeen()).hasSize(2);
        assertThat(test.output()).contains("event=token_renewed");
    }

    @Test
    void aTokenRefusedTwiceInARowEndsTheUpload() throws Exception {
        server.acceptTokens(token -> false);

        UploadResult result = Uploader.run(podOptions().build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.AUTH_REJECTED);
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(server.tokensSeen()).as("renewed once, then given up").hasSize(2);
        assertThat(result.message()).contains("rejected the credentials").contains("'uploader-demo'");
    }

    @Test
    void aWrongSecretEndsTheUploadWithKeycloaksAnswerAndNothingIsSent() throws Exception {
        Files.writeString(secretFile, "wrong-secret\n");

        UploadResult result = Uploader.run(podOptions().build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.AUTH_REJECTED);
        assertThat(result.message()).contains("could not get a token").contains("HTTP 401").contains("check the client id 'uploader-demo'")
                .contains(secretFile.toString()).doesNotContain("wrong-secret");
        assertThat(test.output()).doesNotContain("wrong-secret");
        assertThat(server.totalCalls()).as("no call goes out without a token").isZero();
    }

    @Test
    void anUnreachableKeycloakIsRetriedLikeAnOutageThenNamed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        UploadResult result = Uploader.run(podOptions().issuer("http://127.0.0.1:" + closedPort + "/realms/athanor")
                .retryTimeout(Duration.ofSeconds(1)).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.FAILED);
        assertThat(result.message()).contains("UNAVAILABLE: no token yet: cannot reach http://127.0.0.1:" + closedPort);
        assertThat(test.output()).contains("event=connecting");
        assertThat(server.totalCalls()).isZero();
    }

    @Test
    void clientCredentialOptionsThatCannotWorkAreRefusedAtStart() throws Exception {
        assertThat(Uploader.run(podOptions().clientSecretFile(null).build()).message())
                .contains("--client-id uploader-demo needs --client-secret-file");
        assertThat(Uploader.run(podOptions().tokenUrl(keycloak.issuer() + "/protocol/openid-connect/token").build())
                .message()).contains("exactly one of --issuer");
        assertThat(Uploader.run(podOptions().tokenFile(secretFile).build()).message())
                .contains("--token-file and --client-id exclude each other");
        assertThat(Uploader.run(podOptions().clientId(null).build()).message())
                .contains("give --client-id too");
        UploadResult missing = Uploader.run(podOptions().clientSecretFile(dir.resolve("nope")).build());
        assertThat(missing.outcome()).isEqualTo(Outcome.INVALID_OPTIONS);
        assertThat(missing.message()).contains("cannot read client secret file " + dir.resolve("nope"));
        assertThat(server.totalCalls()).isZero();
    }
}
