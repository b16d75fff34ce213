package dev.athanor.bench.suite;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The suite benchmark's tables on the console and its CSV files. MB = 10^6 bytes, MiB = 2^20. */
final class Report {

    static final String INGEST_CSV = "suite-bench-ingest.csv";
    static final String LATENCY_CSV = "suite-bench-latency.csv";
    private static final double MIB = 1024.0 * 1024.0;

    private Report() {
    }

    static void print(PrintStream out, List<IngestRound.Result> ingest, List<CopyCeiling.Result> ceiling,
                      long idleRss, long idleHeap, List<LatencyProbe.Latency> latencies) {
        if (!ingest.isEmpty()) {
            out.printf(Locale.ROOT, "%nSustained ingest: uploader -> gRPC -> raw log (fsync, ack) -> PostgreSQL index;"
                    + " clock stops when every point is indexed%n");
            out.printf(Locale.ROOT, "%3s %11s %9s %9s %10s %12s %8s  |  %-26s %12s %9s%n", "N", "points", "event MB",
                    "acked s", "indexed s", "points/s", "MB/s", "per-row COPY ceiling (s)", "rows/s", "vs COPY");
            for (int i = 0; i < ingest.size(); i++) {
                IngestRound.Result r = ingest.get(i);
                CopyCeiling.Result c = ceiling.get(i);
                out.printf(Locale.ROOT, "%3d %11s %9.1f %9.2f %10.2f %12s %8.1f  |  %26.2f %12s %8.2fx%s%n", r.streams(),
                        String.format(Locale.ROOT, "%,d", r.points()), r.bytes() / 1e6, r.ackedSeconds(),
                        r.indexedSeconds(), String.format(Locale.ROOT, "%,.0f", r.pointsPerSecond()),
                        r.megabytesPerSecond(), c.seconds(), String.format(Locale.ROOT, "%,.0f", c.pointsPerSecond()),
                        r.pointsPerSecond() / c.pointsPerSecond(),
                        r.timedOut() ? "  (timed out: " + r.indexedPoints() + " points indexed)" : "");
            }
            out.printf(Locale.ROOT, "%ningest-service resources during each round (-Xmx1g; idle before the first round:"
                    + " RSS %.0f MiB, heap in use %.0f MiB)%n", idleRss / MIB, idleHeap / MIB);
            out.printf(Locale.ROOT, "%3s %13s %11s %14s %13s  |  %-44s %-22s  %s%n", "N", "RSS peak MiB", "VmHWM MiB",
                    "heap peak MiB", "heap end MiB", "CPU s: ingest-service  PostgreSQL  uploaders", "cores busy: ours/all",
                    "load avg");
            for (IngestRound.Result r : ingest) {
                double cpu = r.ingestCpu() + r.postgresCpu() + r.clientCpu();
                out.printf(Locale.ROOT, "%3d %13.0f %11.0f %14.0f %13.0f  |  %21.1f %11.1f %11.1f   %9.2f / %4.2f     %s%n",
                        r.streams(), r.peakRss() / MIB, r.hwm() / MIB, r.peakHeap() / MIB, r.endHeap() / MIB, r.ingestCpu(),
                        r.postgresCpu(), r.clientCpu(), cpu / r.indexedSeconds(), r.machineCpu() / r.indexedSeconds(),
                        r.load());
            }
        }
        if (!latencies.isEmpty()) {
            out.printf(Locale.ROOT, "%nREST latency, sequential requests on one keep-alive connection over 127.0.0.1"
                    + " (client: send to last byte; service: query-service's access log)%n");
            out.printf(Locale.ROOT, "%-100s %5s  %-31s  %-23s %8s  %s%n", "query", "n", "client ms p50 / p95 / p99 / max",
                    "service ms p50/p95/p99", "bytes", "answer");
            for (LatencyProbe.Latency l : latencies) {
                LatencyProbe.Percentiles c = l.client();
                LatencyProbe.Percentiles s = l.service();
                out.printf(Locale.ROOT, "%-100s %5d  %6.2f / %6.2f / %6.2f / %6.1f  %-23s %8d  %s%n", l.name(), l.requests(),
                        c.p50(), c.p95(), c.p99(), c.max(),
                        s == null ? "n/a" : String.format(Locale.ROOT, "%6.2f / %6.2f / %6.2f", s.p50(), s.p95(), s.p99()),
                        l.responseBytes(), l.check());
            }
        }
    }

    static void writeCsv(Path dir, List<IngestRound.Result> ingest, List<CopyCeiling.Result> ceiling,
                         List<LatencyProbe.Latency> latencies) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("streams,points,event_bytes,acked_s,indexed_s,points_per_s,mb_per_s,timed_out,"
                + "copy_ceiling_s,copy_ceiling_rows_per_s,rss_peak_bytes,vm_hwm_bytes,heap_peak_bytes,heap_end_bytes,"
                + "cpu_ingest_s,cpu_postgres_s,cpu_uploaders_s,cpu_machine_s,load_avg\n");
        for (int i = 0; i < ingest.size(); i++) {
            IngestRound.Result r = ingest.get(i);
            CopyCeiling.Result c = ceiling.get(i);
            csv.append(String.format(Locale.ROOT, "%d,%d,%d,%.3f,%.3f,%.0f,%.2f,%b,%.3f,%.0f,%d,%d,%d,%d,%.2f,%.2f,%.2f,%.2f,%s%n",
                    r.streams(), r.points(), r.bytes(), r.ackedSeconds(), r.indexedSeconds(), r.pointsPerSecond(),
                    r.megabytesPerSecond(), r.timedOut(), c.seconds(), c.pointsPerSecond(), r.peakRss(), r.hwm(),
                    r.peakHeap(), r.endHeap(), r.ingestCpu(), r.postgresCpu(), r.clientCpu(), r.machineCpu(), r.load()));
        }
        Files.writeString(dir.resolve(INGEST_CSV), csv);
        StringBuilder lat = new StringBuilder("query,requests,client_p50_ms,client_p95_ms,client_p99_ms,client_max_ms,"
                + "service_p50_ms,service_p95_ms,service_p99_ms,response_bytes,answer,load_avg\n");
        for (LatencyProbe.Latency l : latencies) {
            LatencyProbe.Percentiles c = l.client();
            LatencyProbe.Percentiles s = l.service();
            lat.append(String.format(Locale.ROOT, "\"%s\",%d,%.3f,%.3f,%.3f,%.3f,%s,%s,%s,%d,\"%s\",%s%n",
                    l.name().replace("\"", "\"\""), l.requests(), c.p50(), c.p95(), c.p99(), c.max(),
                    s == null ? "" : String.format(Locale.ROOT, "%.3f", s.p50()),
                    s == null ? "" : String.format(Locale.ROOT, "%.3f", s.p95()),
                    s == null ? "" : String.format(Locale.ROOT, "%.3f", s.p99()),
                    l.responseBytes(), l.check(), l.load()));
        }
        Files.writeString(dir.resolve(LATENCY_CSV), lat);
    }
}
