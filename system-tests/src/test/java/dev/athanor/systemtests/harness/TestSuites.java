package dev.athanor.systemtests.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.suite.LocalSuite;
import dev.athanor.suite.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** A local suite of the built services for one test class, on free ports, with its data under {@code home}. */
public final class TestSuites {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestSuites() {
    }

    /** Settings with free ports ({@code replicas} consecutive ones for ingest), the checkout the tests run in. */
    public static LocalSuite.Settings settings(Path home, int replicas) throws IOException {
        Path repo = Path.of("").toAbsolutePath().getParent();
        return new LocalSuite.Settings(home, repo, Path.of(System.getProperty("java.home")), Ports.free(), Ports.free(),
                Ports.free(), Ports.freeRun(replicas), Ports.freeRun(replicas), Duration.ofMinutes(3)).withIngestReplicas(replicas);
    }

    /** Stops the suite (when it started) and deletes everything under {@code home}. */
    public static void stop(LocalSuite suite, Path home) {
        if (suite != null) {
            suite.close();
        }
        TestDirs.deleteTree(home);
    }

    /** GET of a path of the suite's query-service ({@code /api/v1/...}): the body, after asserting 200. */
    public static byte[] download(LocalSuite suite, String pathAndQuery) {
        try {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + suite.settings().queryPort() + pathAndQuery))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as("GET %s: %s", pathAndQuery,
                    new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + pathAndQuery, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + pathAndQuery, e);
        }
    }

    /** As {@link #download}, as text. */
    public static String get(LocalSuite suite, String pathAndQuery) {
        return new String(download(suite, pathAndQuery), StandardCharsets.UTF_8);
    }

    /** Starts the suite, printing its progress prefixed with {@code [tag]}. */
    public static LocalSuite start(Path home, int replicas, String tag) throws IOException, InterruptedException {
        return LocalSuite.start(settings(home, replicas), step -> System.out.println("[" + tag + "] " + step));
    }
}
