package dev.athanor.systemtests.harness;

import dev.athanor.suite.LocalSuite;
import dev.athanor.cli.testing.UploadedSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The local suite (embedded PostgreSQL, query-service and ingest-service from their built jars)
 * with auth ON: both services verify bearer tokens of the given Keycloak realm and enforce
 * project roles. Nothing is uploaded; the end-to-end test does that as a pod would.
 */
public final class AuthSuite implements AutoCloseable {

    private final Path home;
    private final LocalSuite suite;
    private final HttpClient http = HttpClient.newHttpClient();

    private AuthSuite(Path home, LocalSuite suite) {
        this.home = home;
        this.suite = suite;
    }

    public static AuthSuite start(String issuer) {
        Path home = null;
        try {
            home = Files.createTempDirectory("athanor-cli-auth-");
            LocalSuite.Settings settings = new LocalSuite.Settings(home, UploadedSuite.repoRoot(),
                    Path.of(System.getProperty("java.home")), UploadedSuite.freePort(), UploadedSuite.freePort(),
                    UploadedSuite.freePort(), UploadedSuite.freePort(), UploadedSuite.freePort(), Duration.ofMinutes(3)).withAuth(issuer);
            return new AuthSuite(home, LocalSuite.start(settings, step -> System.out.println("[auth suite] " + step)));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (home != null) {
                delete(home);
            }
            throw new IllegalStateException("the local suite with auth on did not come up: " + e.getMessage(), e);
        }
    }

    public String server() {
        return "http://127.0.0.1:" + suite.settings().queryPort();
    }

    /** query-service's TensorBoard data provider, HOST:PORT. */
    public String dataProviderEndpoint() {
        return suite.dataProviderEndpoint();
    }

    public String grpcEndpoint() {
        return suite.grpcEndpoint();
    }

    public Path home() {
        return home;
    }

    /** GET a path of the REST API with a bearer token (null: none); the raw answer. */
    public HttpResponse<String> get(String pathAndQuery, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server() + pathAndQuery))
                .timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + pathAndQuery, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        suite.close();
        delete(home);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
