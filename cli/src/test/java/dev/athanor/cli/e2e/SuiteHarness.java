package dev.athanor.cli.e2e;

import dev.athanor.cli.suite.LocalSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Starts the local suite for a test class on free ports in a temporary home. */
final class SuiteHarness {

    private SuiteHarness() {
    }

    static LocalSuite start(Path home) throws IOException, InterruptedException {
        Path repo = Path.of(System.getProperty("athanor.repo.root", ".")).toAbsolutePath().normalize();
        for (String jar : new String[] {"query-service", "ingest-service"}) {
            Path built = repo.resolve(jar + "/target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(built)) {
                throw new IllegalStateException(built + " is missing: the end-to-end tests run the built services; "
                        + "build them with ./mvnw -pl " + jar + " -am package -DskipTests (the reactor does this first)");
            }
        }
        LocalSuite.Settings settings = new LocalSuite.Settings(home, repo, Path.of(System.getProperty("java.home")),
                freePort(), freePort(), freePort(), freePort(), Duration.ofMinutes(3));
        return LocalSuite.start(settings, step -> System.out.println("[suite] " + step));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET {@code url}; fails the test on anything but 200. */
    static HttpResponse<byte[]> get(HttpClient http, String url) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + url + " answered " + response.statusCode() + ": "
                        + new String(response.body()));
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
