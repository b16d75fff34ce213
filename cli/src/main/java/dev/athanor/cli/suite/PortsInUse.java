package dev.athanor.cli.suite;

import dev.athanor.suite.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a suite's ports are free before anything is started, so {@code athanor up} run a second
 * time says a suite is already running (or which port another program holds) instead of failing
 * half-way through starting PostgreSQL with a stack trace.
 */
final class PortsInUse {

    private PortsInUse() {
    }

    /** The first port of {@code ports} that cannot be bound on loopback, with what would listen there. */
    static Optional<Map.Entry<Integer, String>> first(List<Map.Entry<Integer, String>> ports) {
        for (Map.Entry<Integer, String> port : ports) {
            if (!Ports.bindable(port.getKey())) {
                return Optional.of(port);
            }
        }
        return Optional.empty();
    }

    /** True when an Athanor query-service answers /api/v1/info on this loopback port. */
    static boolean athanorAnswers(int queryPort) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + queryPort + "/api/v1/info")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("athanor-query-service");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
