package dev.athanor.cli.inspect;

import dev.athanor.tfevents.event.EventFileNames;
import dev.athanor.tfevents.logdir.Logdir;
import dev.athanor.tfevents.logdir.Run;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code athanor inspect PATH}: what an event file or a logdir holds, per run and tag, decoded
 * exactly as ingest decodes it. Problems go to stderr with file and offset; the good values are
 * still reported, and the exit code is 1.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {
            "Shows what an event file or a logdir holds: per run and tag the plugin, data class, "
                + "number of values and first/last step (like `tensorboard --inspect`, exact and fast). "
                + "With --format jsonl, one JSON object per value in file order instead."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:everything read",
            "1:a file had corrupt or unreadable records (the good ones are still reported)",
            "2:usage error (PATH missing, bad option)"
        })
public final class InspectCommand implements Callable<Integer> {

    enum Format { table, jsonl }

    @Parameters(paramLabel = "PATH", description = "An event file or a logdir.")
    Path path;

    @Option(names = "--format", defaultValue = "table",
            description = "table (default) or jsonl: one object per value with run, tag, step, wall_time, plugin"
                    + " and value (scalars) or a short description.")
    Format format;

    @Spec
    CommandSpec spec;

    private boolean failed;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        List<Run> runs;
        if (Files.isRegularFile(path)) {
            runs = List.of(new Run(".", path.toAbsolutePath().getParent(), List.of(path)));
            if (!EventFileNames.isEventFile(path.getFileName().toString())) {
                err.println("athanor inspect: note: " + path + " is not named like an event file; reading it anyway");
            }
        } else if (Files.isDirectory(path)) {
            Logdir logdir = Logdir.scan(path);
            logdir.problems().forEach(problem -> {
                err.println("athanor inspect: " + problem);
                failed = true;
            });
            runs = logdir.runs();
            if (runs.isEmpty()) {
                err.println("athanor inspect: no event files (names containing 'tfevents') under " + path);
            }
        } else {
            err.println("athanor inspect: " + path + ": no such file or directory");
            return 2;
        }

        OutputStream stdout = new BufferedOutputStream(System.out, 1 << 16);
        Map<String, Map<String, TagStats>> stats = new TreeMap<>();
        long records = 0;
        long bytes = 0;
        JsonlValueWriter jsonl = null;
        List<RunInspection> inspected;
        if (format == Format.jsonl) {
            // Values are printed in file order as they are read: one run after another.
            jsonl = new JsonlValueWriter(stdout);
            JsonlValueWriter writer = jsonl;
            inspected = new ArrayList<>();
            for (Run run : runs) {
                inspected.add(new RunInspection(run, err::println, writer::write).read());
            }
        } else {
            inspected = readInParallel(runs, err);
        }
        for (RunInspection run : inspected) {
            stats.computeIfAbsent(run.name(), r -> new TreeMap<>()).putAll(run.tags());
            records += run.records();
            bytes += run.bytes();
            failed |= run.failed();
        }
        if (jsonl != null) {
            jsonl.flush();
        } else {
            PrintWriter out = new PrintWriter(stdout);
            InspectTable.print(out, stats, runs.size(), records, bytes);
            out.flush();
        }
        stdout.flush();
        err.flush();
        return failed ? 1 : 0;
    }

    /**
     * Reads the runs on all cores (runs are independent); each run's messages are held and
     * printed in run order, so the output is the same as reading them one after another.
     */
    private static List<RunInspection> readInParallel(List<Run> runs, PrintWriter err) throws IOException {
        int threads = Math.max(1, Math.min(runs.size(), Runtime.getRuntime().availableProcessors()));
        if (threads == 1) {
            List<RunInspection> inspected = new ArrayList<>();
            for (Run run : runs) {
                inspected.add(new RunInspection(run, err::println, null).read());
            }
            return inspected;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().factory());
        try {
            List<List<String>> messages = new ArrayList<>();
            List<Future<RunInspection>> futures = new ArrayList<>();
            for (Run run : runs) {
                List<String> held = new ArrayList<>();
                messages.add(held);
                futures.add(pool.submit(() -> new RunInspection(run, held::add, null).read()));
            }
            List<RunInspection> inspected = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                inspected.add(await(futures.get(i)));
                messages.get(i).forEach(err::println);
            }
            return inspected;
        } finally {
            pool.shutdownNow();
        }
    }

    private static RunInspection await(Future<RunInspection> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("athanor inspect: interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
