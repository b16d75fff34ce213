package dev.athanor.bench.suite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Latency of one REST request, sent sequentially over one keep-alive connection: a warm-up, then
 * the measured requests. Client time is send-to-last-byte; service time is what query-service's
 * access log reports for the same requests ({@code %{RESPONSE_TIME_MICROS}}: from the request's
 * arrival to the response end, on the server). Requests of each phase carry a {@code benchPhase}
 * query parameter (ignored by the API) so that their log lines can be told apart.
 */
final class LatencyProbe {

    record Latency(String name, int requests, Percentiles client, Percentiles service, int responseBytes,
                   String check, String load) {
    }

    record Percentiles(double p50, double p95, double p99, double max) {

        static Percentiles of(double[] values) {
            if (values.length == 0) {
                return null;
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            return new Percentiles(at(sorted, 50), at(sorted, 95), at(sorted, 99), sorted[sorted.length - 1]);
        }

        /** Nearest-rank percentile. */
        static double at(double[] sorted, int p) {
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Path accessLog;

    LatencyProbe(Path accessLog) {
        this.accessLog = accessLog;
    }

    /**
     * @param check what a good answer must satisfy (fails the benchmark otherwise), described by
     *              {@code describe} in the table (for example how many runs matched)
     */
    Latency measure(String name, String url, int warmup, int requests, Predicate<String> check,
                    java.util.function.Function<String, String> describe) throws Exception {
        String phase = name.replaceAll("[^A-Za-z0-9]+", "-");
        String separator = url.contains("?") ? "&" : "?";
        HttpRequest warm = HttpRequest.newBuilder(URI.create(url + separator + "benchPhase=warmup-" + phase)).build();
        String body = "";
        for (int i = 0; i < warmup; i++) {
            body = send(name, warm);
        }
        if (!check.test(body)) {
            throw new IllegalStateException(name + ": unexpected answer: "
                    + body.substring(0, Math.min(400, body.length())));
        }
        HttpRequest measured = HttpRequest.newBuilder(URI.create(url + separator + "benchPhase=" + phase)).build();
        double[] client = new double[requests];
        for (int i = 0; i < requests; i++) {
            long t0 = System.nanoTime();
            body = send(name, measured);
            client[i] = (System.nanoTime() - t0) / 1e6;
        }
        double[] service = serviceTimes("benchPhase=" + phase + " ", requests);
        return new Latency(name, requests, Percentiles.of(client), Percentiles.of(service),
                body.getBytes(StandardCharsets.UTF_8).length, describe.apply(body), ProcStats.loadAverage());
    }

    private String send(String name, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(name + ": HTTP " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /**
     * The service times (ms) of the access-log lines of one phase; the log is written in the
     * background, so wait a little for all of them.
     */
    private double[] serviceTimes(String marker, int expected) throws Exception {
        List<Double> times = new ArrayList<>();
        for (int attempt = 0; attempt < 40; attempt++) {
            times.clear();
            if (Files.exists(accessLog)) {
                for (String line : Files.readAllLines(accessLog)) {
                    if (line.contains(marker)) {
                        times.add(Long.parseLong(line.substring(0, line.indexOf(' '))) / 1000.0);
                    }
                }
            }
            if (times.size() >= expected) {
                break;
            }
            Thread.sleep(250);
        }
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
