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
    static final String FORWARD_CSV = "suite-bench-forward.csv";
    private static final double MIB = 1024.0 * 1024.0;

    /** ingest-service memory right after a suite started, summed over its replicas. */
    record Idle(int replicas, long rss, long heap) {
    }

    private Report() {
    }

    /**
     * The tables. With {@code showReplicas} (any run other than the default single replica) the
     * ingest tables get a leading column R, the number of ingest replicas, and the resources are
     * sums over them; otherwise the output is what it was before replicas existed.
     */
    static void print(PrintStream out, List<IngestRound.Result> ingest, List<CopyCeiling.Result> ceiling,
                      List<Idle> idle, boolean showReplicas, List<LatencyProbe.Latency> latencies,
                      List<ForwardLatency.Result> forward) {
        if (!ingest.isEmpty()) {
            out.printf(Locale.ROOT, "%nSustained ingest: uploader -> gRPC -> raw log (fsync, ack) -> PostgreSQL index;"
                    + " clock stops when every point is indexed%n");
            out.printf(Locale.ROOT, "runs = runs of the round; up = uploaders (one logdir and one gRPC stream each):"
                    + " as many as runs, or 1 for a sweep of runs in one logdir%n");
            if (showReplicas) {
                out.printf(Locale.ROOT, "R = ingest replicas (one PostgreSQL, same machine), stream i starts at replica i %% R%n");
                out.printf(Locale.ROOT, "%3s ", "R");
            }
            out.printf(Locale.ROOT, "%4s %3s %11s %9s %9s %10s %12s %8s  |  %-26s %12s %9s%n", "runs", "up", "points", "event MB",
                    "acked s", "indexed s", "points/s", "MB/s", "per-row COPY ceiling (s)", "rows/s", "vs COPY");
            for (int i = 0; i < ingest.size(); i++) {
                IngestRound.Result r = ingest.get(i);
                CopyCeiling.Result c = ceiling.get(i);
                if (showReplicas) {
                    out.printf(Locale.ROOT, "%3d ", r.replicas());
                }
                out.printf(Locale.ROOT, "%4d %3d %11s %9.1f %9.2f %10.2f %12s %8.1f  |  %26.2f %12s %8.2fx%s%n", r.runs(),
                        r.uploaders(),
                        String.format(Locale.ROOT, "%,d", r.points()), r.bytes() / 1e6, r.ackedSeconds(),
                        r.indexedSeconds(), String.format(Locale.ROOT, "%,.0f", r.pointsPerSecond()),
                        r.megabytesPerSecond(), c.seconds(), String.format(Locale.ROOT, "%,.0f", c.pointsPerSecond()),
                        r.pointsPerSecond() / c.pointsPerSecond(),
                        r.timedOut() ? "  (timed out: " + r.indexedPoints() + " points indexed)" : "");
            }
            if (!showReplicas) {
                Idle before = idle.get(0);
                out.printf(Locale.ROOT, "%ningest-service resources during each round (-Xmx1g; idle before the first round:"
                        + " RSS %.0f MiB, heap in use %.0f MiB)%n", before.rss() / MIB, before.heap() / MIB);
            } else {
                StringBuilder before = new StringBuilder();
                for (Idle each : idle) {
                    before.append(String.format(Locale.ROOT, "%sR=%d RSS %.0f MiB, heap in use %.0f MiB",
                            before.isEmpty() ? "" : "; ", each.replicas(), each.rss() / MIB, each.heap() / MIB));
                }
                out.printf(Locale.ROOT, "%ningest-service resources during each round, summed over the R replicas (-Xmx1g each;"
                        + " idle before the first round: %s)%n", before);
                out.printf(Locale.ROOT, "%3s ", "R");
            }
            out.printf(Locale.ROOT, "%4s %3s %13s %11s %14s %13s  |  %-44s %-22s  %s%n", "runs", "up", "RSS peak MiB", "VmHWM MiB",
                    "heap peak MiB", "heap end MiB", "CPU s: ingest-service  PostgreSQL  uploaders", "cores busy: ours/all",
                    "load avg");
            for (IngestRound.Result r : ingest) {
                double cpu = r.ingestCpu() + r.postgresCpu() + r.clientCpu();
                if (showReplicas) {
                    out.printf(Locale.ROOT, "%3d ", r.replicas());
                }
                out.printf(Locale.ROOT, "%4d %3d %13.0f %11.0f %14.0f %13.0f  |  %21.1f %11.1f %11.1f   %9.2f / %4.2f     %s%n",
                        r.runs(), r.uploaders(), r.peakRss() / MIB, r.hwm() / MIB, r.peakHeap() / MIB, r.endHeap() / MIB, r.ingestCpu(),
                        r.postgresCpu(), r.clientCpu(), cpu / r.indexedSeconds(), r.machineCpu() / r.indexedSeconds(),
                        r.load());
            }
        }
        if (!forward.isEmpty()) {
            ForwardLatency.Result any = forward.get(0);
            out.printf(Locale.ROOT, "%nForwarded-stream latency: one run owned by replica 0; batches of one %d-byte scalar"
                    + " record, each sent when the previous ack arrived; %d round trips per path after %d warm-up,"
                    + " the two paths taking turns (client: send to ack, ms)%n", any.recordBytes(), any.requests(),
                    any.warmup());
            out.printf(Locale.ROOT, "%3s  %-44s %7s %7s %7s %7s %7s%n", "R", "path", "p50", "p90", "p99", "mean", "max");
            for (ForwardLatency.Result f : forward) {
                printForward(out, f.replicas(), "direct to the owner (replica 0)", f.direct());
                printForward(out, f.replicas(), "through replica 1 (forwarded to replica 0)", f.forwarded());
                out.printf(Locale.ROOT, "%3d  %-44s %+7.2f %7s %+7.2f %+7.2f%n", f.replicas(), "added by forwarding",
                        f.forwarded().p50() - f.direct().p50(), "",
                        f.forwarded().p99() - f.direct().p99(), f.forwarded().mean() - f.direct().mean());
                out.printf(Locale.ROOT, "     checked: every ack 1 record accepted, 0 duplicate, offset + frame;"
                        + " %d batches forwarded by replica 1; lease %s; index holds every point once%n",
                        f.forwardedBatches(), f.owner());
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

    private static void printForward(PrintStream out, int replicas, String path, ForwardLatency.Stats s) {
        out.printf(Locale.ROOT, "%3d  %-44s %7.2f %7.2f %7.2f %7.2f %7.1f%n", replicas, path, s.p50(), s.p90(), s.p99(),
                s.mean(), s.max());
    }

    static void writeCsv(Path dir, List<IngestRound.Result> ingest, List<CopyCeiling.Result> ceiling,
                         List<LatencyProbe.Latency> latencies, List<ForwardLatency.Result> forward) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("streams,points,event_bytes,acked_s,indexed_s,points_per_s,mb_per_s,timed_out,"
                + "copy_ceiling_s,copy_ceiling_rows_per_s,rss_peak_bytes,vm_hwm_bytes,heap_peak_bytes,heap_end_bytes,"
                + "cpu_ingest_s,cpu_postgres_s,cpu_uploaders_s,cpu_machine_s,load_avg,ingest_replicas,runs\n");
        for (int i = 0; i < ingest.size(); i++) {
            IngestRound.Result r = ingest.get(i);
            CopyCeiling.Result c = ceiling.get(i);
            csv.append(String.format(Locale.ROOT, "%d,%d,%d,%.3f,%.3f,%.0f,%.2f,%b,%.3f,%.0f,%d,%d,%d,%d,%.2f,%.2f,%.2f,%.2f,%s,%d,%d%n",
                    r.uploaders(), r.points(), r.bytes(), r.ackedSeconds(), r.indexedSeconds(), r.pointsPerSecond(),
                    r.megabytesPerSecond(), r.timedOut(), c.seconds(), c.pointsPerSecond(), r.peakRss(), r.hwm(),
                    r.peakHeap(), r.endHeap(), r.ingestCpu(), r.postgresCpu(), r.clientCpu(), r.machineCpu(), r.load(),
                    r.replicas(), r.runs()));
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
        if (!forward.isEmpty()) {
            StringBuilder fwd = new StringBuilder("ingest_replicas,path,round_trips,warmup,record_bytes,p50_ms,p90_ms,p99_ms,"
                    + "mean_ms,max_ms,lease,load_avg\n");
            ForwardLatency.csvLines(forward).forEach(line -> fwd.append(line).append('\n'));
            Files.writeString(dir.resolve(FORWARD_CSV), fwd);
        }
    }
}
