package dev.athanor.bench.suite;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Samples a service's resident memory (/proc VmRSS) and its Java heap in use (the sum of
 * Micrometer's {@code jvm_memory_used_bytes{area="heap"}} on its Prometheus endpoint) on a
 * background thread, keeping the peaks. Heap in use is what the collector has not yet reclaimed,
 * so its peak is an upper bound of the live set, bounded by -Xmx.
 */
final class MemorySampler implements AutoCloseable {

    private final long pid;
    private final URI metrics;
    private final Duration interval;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakRss = -1;
    private volatile long peakHeap = -1;
    private volatile long lastHeap = -1;
    private volatile int samples;

    MemorySampler(long pid, String metricsUrl, Duration interval) {
        this.pid = pid;
        this.metrics = URI.create(metricsUrl);
        this.interval = interval;
        this.thread = Thread.ofPlatform().daemon().name("memory-sampler").start(this::loop);
    }

    private void loop() {
        while (running) {
            sampleOnce();
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sampleOnce() {
        long rss = ProcStats.statusBytes(pid, "VmRSS");
        if (rss > peakRss) {
            peakRss = rss;
        }
        long heap = heapUsed(http, metrics);
        if (heap >= 0) {
            lastHeap = heap;
            if (heap > peakHeap) {
                peakHeap = heap;
            }
        }
        samples++;
    }

    /** Sum of jvm_memory_used_bytes over the heap pools, or -1 when the endpoint does not answer. */
    static long heapUsed(HttpClient http, URI metrics) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return -1;
            }
            double sum = 0;
            boolean found = false;
            for (String line : r.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
            return found ? (long) sum : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    long peakRss() {
        return peakRss;
    }

    long peakHeap() {
        return peakHeap;
    }

    long lastHeap() {
        return lastHeap;
    }

    int samples() {
        return samples;
    }

    @Override
    public void close() throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        thread.interrupt();
        thread.join(5_000);
        sampleOnce(); // the state at the end of the load
    }
}
