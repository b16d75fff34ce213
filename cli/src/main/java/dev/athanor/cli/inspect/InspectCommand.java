package dev.athanor.cli.inspect;

import dev.athanor.tfevents.decode.DecodeProblem;
import dev.athanor.tfevents.decode.DecodedValue;
import dev.athanor.tfevents.decode.RunDecoder;
import dev.athanor.tfevents.event.EventFileNames;
import dev.athanor.tfevents.event.EventFileReader;
import dev.athanor.tfevents.event.EventRecord;
import dev.athanor.tfevents.event.ReadProblem;
import dev.athanor.tfevents.logdir.Logdir;
import dev.athanor.tfevents.logdir.Run;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
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
        JsonlValueWriter jsonl = format == Format.jsonl ? new JsonlValueWriter(stdout) : null;
        Map<String, Map<String, TagStats>> stats = new TreeMap<>();
        long records = 0;
        long bytes = 0;
        for (Run run : runs) {
            RunDecoder decoder = new RunDecoder(run.name(), (DecodeProblem problem) ->
                    err.println("athanor inspect: warning: " + problem.message()));
            Map<String, TagStats> tags = stats.computeIfAbsent(run.name(), r -> new TreeMap<>());
            for (Path file : run.eventFiles()) {
                try (EventFileReader reader = EventFileReader.open(file, this::report)) {
                    EventRecord record;
                    while ((record = reader.next()) != null) {
                        records++;
                        for (DecodedValue value : decoder.decode(record)) {
                            tags.computeIfAbsent(value.tag(), t -> new TagStats(value)).add(value);
                            if (jsonl != null) {
                                jsonl.write(run.name(), value);
                            }
                        }
                    }
                    if (reader.truncatedTailBytes() > 0) {
                        err.printf("athanor inspect: note: %s ends with an incomplete record (%d bytes after offset %d);"
                                + " a file still being written looks like this%n",
                                file, reader.truncatedTailBytes(), reader.position());
                    }
                    bytes += reader.position() + reader.truncatedTailBytes();
                } catch (IOException e) {
                    err.println("athanor inspect: " + file + ": cannot be read: " + e.getMessage());
                    failed = true;
                }
            }
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

    private void report(ReadProblem problem) {
        failed = true;
        spec.commandLine().getErr().println("athanor inspect: error: " + problem.message());
    }
}
