package dev.athanor.bench.suite;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Samples a service's resident memory (/proc VmRSS) and its Java heap in use (the sum of
 * Micrometer's {@code jvm_memory_used_bytes{area="heap"}} on its Prometheus endpoint) on a
 * background thread, keeping the peaks. Heap in use is what the collector has not yet reclaimed,
 * so its peak is an upper bound of the live set, bounded by -Xmx. With several processes (ingest
 * replicas) each sample is the sum over them, and the peaks are those of the sums.
 */
final class MemorySampler implements AutoCloseable {

    private final List<Long> pids;
    private final List<URI> metrics;
    private final Duration interval;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakRss = -1;
    private volatile long peakHeap = -1;
    private volatile long lastHeap = -1;
    private volatile int samples;

    MemorySampler(long pid, String metricsUrl, Duration interval) {
        this(List.of(pid), List.of(metricsUrl), interval);
    }

    MemorySampler(List<Long> pids, List<String> metricsUrls, Duration interval) {
        this.pids = List.copyOf(pids);
        this.metrics = metricsUrls.stream().map(URI::create).toList();
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
        long rss = ProcStats.statusBytes(pids, "VmRSS");
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

    /** {@link #heapUsed(HttpClient, URI)} summed over several services, or -1 when any does not answer. */
    static long heapUsed(HttpClient http, List<URI> metrics) {
        return ProcStats.sumOrUnknown(metrics, each -> heapUsed(http, each));
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
