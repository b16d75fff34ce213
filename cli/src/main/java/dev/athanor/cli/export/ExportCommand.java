package dev.athanor.cli.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.cli.client.AthanorClient;
import dev.athanor.cli.client.ClientFailure;
import dev.athanor.cli.client.ExperimentRef;
import dev.athanor.cli.client.FailureReport;
import dev.athanor.cli.client.Query;
import dev.athanor.cli.client.Resolver;
import dev.athanor.cli.client.ServerOptions;
import dev.athanor.uploader.progress.Terminals;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code athanor export}: every value of a selection of one experiment, streamed from the query
 * service (one consistent snapshot) to a file or standard output as JSON Lines or CSV.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Streams every value of an experiment's runs (optionally only some runs, tags, plugins or steps) "
                + "from one consistent snapshot, as JSON Lines or CSV, to --output or standard output.",
            "",
            "JSON Lines records have the shape of `athanor inspect --format jsonl` (run, tag, step, wall_time, "
                + "plugin, then value for scalars, dtype/shape/bytes for tensors, blob_bytes for blob sequences), so "
                + "an export of an uploaded logdir compares line by line (as sets) with an inspect of its files. "
                + "CSV has the columns run,tag,step,wall_time,plugin,value.",
            "",
            "A file is written as FILE.part and renamed when complete. On a terminal a progress line shows bytes, "
                + "lines and rate."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the whole export was written",
            "1:the export was cut short (the server or the connection failed mid-way, or the output could not "
                + "be written); a partial file is kept as FILE.part",
            "2:usage or server error before anything was written: bad option or filter, experiment or run not "
                + "found, server unreachable or failing"
        })
public final class ExportCommand implements Callable<Integer> {

    enum Format { jsonl, csv }

    private static final String COMMAND = "athanor export";

    @Option(names = "--experiment", required = true, paramLabel = "NAME|ID", description = "The experiment to export.")
    String experiment;

    @Option(names = "--project", paramLabel = "NAME", defaultValue = "${env:ATHANOR_PROJECT}",
            description = "Look the experiment name up in this project only (default: ATHANOR_PROJECT, if set).")
    String project;

    @Option(names = "--run", paramLabel = "RUN", description = "Only this run: its path or id (repeatable).")
    List<String> runs;

    @Option(names = "--filter", paramLabel = "EXPR", description = "Only runs for which this expression holds.")
    String filter;

    @Option(names = "--tags", split = ",", paramLabel = "TAG", description = "Only these tags (comma-separated, repeatable).")
    List<String> tags;

    @Option(names = "--plugins", split = ",", paramLabel = "PLUGIN",
            description = "Only these plugins, e.g. scalars (comma-separated, repeatable).")
    List<String> plugins;

    @Option(names = "--step-min", paramLabel = "STEP", description = "Only steps >= STEP.")
    Long stepMin;

    @Option(names = "--step-max", paramLabel = "STEP", description = "Only steps <= STEP.")
    Long stepMax;

    @Option(names = "--format", defaultValue = "jsonl", paramLabel = "jsonl|csv", description = "jsonl (default) or csv.")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here (default: standard output).")
    Path output;

    @Option(names = {"-q", "--quiet"}, description = "No progress line and no summary.")
    boolean quiet;

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        HttpResponse<InputStream> response;
        try {
            Path target = usableOutput();
            AthanorClient client = server.connect();
            Resolver resolver = new Resolver(client);
            ExperimentRef experimentRef = resolver.experiment(experiment, project);
            List<Long> runIds = new ArrayList<>();
            for (String run : runs == null ? List.<String>of() : runs) {
                runIds.add(resolver.run(run, experimentRef));
            }
            Query query = Query.of().add("experiment", experimentRef.id())
                    .addAll("run", runIds).add("filter", filter).addAll("tag", tags).addAll("plugin", plugins)
                    .add("stepMin", stepMin).add("stepMax", stepMax).add("format", format.name());
            String mediaType = format == Format.csv ? "text/csv" : "application/x-ndjson";
            response = client.fitsInUrl("/api/v1/export", query)
                    ? client.stream("/api/v1/export", query, mediaType)
                    : client.streamPost("/api/v1/export", exportBody(client, experimentRef.id(), runIds), mediaType);
            return write(response, target, err);
        } catch (ClientFailure failure) {
            FailureReport.print(err, COMMAND, failure, filter == null ? Map.of() : Map.of("filter", filter));
            return 2;
        }
    }

    /** The selection as POST /api/v1/export takes it (its field names differ from the query's: runs, tags, plugins). */
    private ObjectNode exportBody(AthanorClient client, long experimentId, List<Long> runIds) {
        ObjectNode body = client.json().createObjectNode();
        body.put("experiment", experimentId);
        runIds.forEach(body.putArray("runs")::add);
        body.put("filter", filter);
        (tags == null ? List.<String>of() : tags).forEach(body.putArray("tags")::add);
        (plugins == null ? List.<String>of() : plugins).forEach(body.putArray("plugins")::add);
        body.put("format", format.name());
        if (stepMin != null) {
            body.put("stepMin", stepMin);
        }
        if (stepMax != null) {
            body.put("stepMax", stepMax);
        }
        return body;
    }

    /** The output file, checked before anything is asked of the server; null for standard output. */
    private Path usableOutput() {
        if (output == null || output.toString().equals("-")) {
            return null;
        }
        Path absolute = output.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, "--output " + output + " is a directory; name a file");
        }
        Path parent = absolute.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, "--output " + output + ": the directory " + parent
                    + " does not exist");
        }
        if (!Files.isWritable(parent)) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, "--output " + output + ": the directory " + parent
                    + " is not writable");
        }
        return absolute;
    }

    private int write(HttpResponse<InputStream> response, Path target, PrintWriter err) {
        Path part = target == null ? null : target.resolveSibling(target.getFileName() + ".part");
        String runCount = response.headers().firstValue("X-Athanor-Runs").orElse("?");
        String snapshot = response.headers().firstValue("X-Athanor-Snapshot-Time").orElse(null);
        // A live line only when a person watches a terminal and the data does not go to it.
        TransferProgress progress = new TransferProgress(err, !quiet && target != null && Terminals.isInteractive(),
                System::nanoTime);
        long bytes = 0;
        long lines = 0;
        boolean reading = false;
        try (InputStream in = response.body();
             OutputStream out = target == null ? new NonClosingOutputStream(System.out) : Files.newOutputStream(part)) {
            byte[] buffer = new byte[1 << 16];
            while (true) {
                reading = true;
                int n = in.read(buffer);
                reading = false;
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                progress.update(bytes, lines);
            }
            out.flush();
        } catch (IOException e) {
            progress.clear();
            String where = target == null ? "" : "; the partial output is kept in " + part;
            err.println(COMMAND + ": " + (reading
                    ? "the export was cut short after " + TransferProgress.bytes(bytes) + " (" + lines + " lines): the "
                            + "server or the connection failed (" + reason(e) + ")" + where
                    : "cannot write " + (target == null ? "standard output" : part) + ": " + reason(e) + where));
            err.flush();
            return 1;
        }
        progress.clear();
        if (target != null) {
            try {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                err.println(COMMAND + ": the export is complete in " + part + " but cannot be renamed to " + target
                        + ": " + reason(e));
                err.flush();
                return 1;
            }
        }
        if (!quiet) {
            long records = format == Format.csv ? Math.max(0, lines - 1) : lines;
            err.printf(Locale.ROOT, "%s: %,d %s (%s) of %s run%s%s to %s in %.1f s%n", COMMAND, records,
                    format == Format.csv ? "rows" : "lines", TransferProgress.bytes(bytes), runCount,
                    "1".equals(runCount) ? "" : "s", snapshot == null ? "" : " (snapshot of " + snapshot + ")",
                    target == null ? "standard output" : target, progress.elapsedNanos() / 1e9);
            err.flush();
        }
        return 0;
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Standard output stays open after the export (picocli and tests still use it). */
    private static final class NonClosingOutputStream extends java.io.FilterOutputStream {

        NonClosingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
