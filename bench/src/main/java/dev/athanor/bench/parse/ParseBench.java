package dev.athanor.bench.parse;

import dev.athanor.tfevents.event.EventFileNames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Event-file parse throughput, single thread: a CRC32C-only pass over the same bytes (the
 * ceiling), then framing + both CRCs, + Event parse, + full decoding, on a generated
 * scalar-heavy file and on the shared fixtures; then TensorBoard's data server on the same
 * inputs when it is installed. Prints a table and writes {@code <out>/parse-bench.csv}.
 *
 * <pre>
 * options: --out DIR              where the generated file and the CSV go (default bench/target)
 *          --events N             scalar events in the generated file (default 1000000)
 *          --min-mb N             minimum size of the generated file in MB (default 50)
 *          --warmup N             warm-up iterations per measurement (default 5)
 *          --warmup-ms N          and at least this long (default 4000)
 *          --iterations N         measured iterations (default 10)
 *          --min-iteration-ms N   an iteration repeats its input until it lasts this long (default 500)
 *          --server-runs N        data-server load cycles per input (default 5)
 *          --stages A,B           subset of CRC32C_ONLY,FRAMING,EVENT_PARSE,FULL_DECODE
 *          --no-fixtures | --no-data-server
 * </pre>
 */
public final class ParseBench {

    private static final String SCALARS = "scalars (generated)";
    private static final String FIXTURES = "fixtures (all files)";
    private static final long SERVER_MIN_BYTES = 40_000_000;

    private ParseBench() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path repoRoot = repoRoot();
        Path out = options.out != null ? options.out : repoRoot.resolve("bench").resolve("target");
        Files.createDirectories(out);
        PrintStream console = System.out;

        console.printf(Locale.ROOT, "Athanor parse benchmark: %s %s on %s, %d CPUs; single thread%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());

        Path scalarDir = out.resolve("parse-bench").resolve("scalars");
        long t0 = System.nanoTime();
        Path scalarFile = ScalarFileGenerator.ensure(scalarDir, options.events, options.minMb * 1_000_000);
        console.printf(Locale.ROOT, "input: %s (%,d bytes; ready in %.1f s)%n", scalarFile, Files.size(scalarFile),
                (System.nanoTime() - t0) / 1e9);

        List<Input> inputs = new ArrayList<>();
        inputs.add(new Input(SCALARS, List.of(scalarFile), scalarDir, 1));
        if (options.fixtures) {
            Optional<Path> fixtures = fixturesDir(repoRoot);
            if (fixtures.isPresent()) {
                List<Path> files = fixtureFiles(fixtures.get());
                // The data server's clocks tick in 10 ms: give it enough copies to load for about a second.
                int copies = (int) Math.max(1, Math.ceil(SERVER_MIN_BYTES / (double) totalBytes(files)));
                Path logdir = fixtureLogdir(fixtures.get(), files, copies,
                        out.resolve("parse-bench").resolve("fixtures-logdir"));
                inputs.add(new Input(FIXTURES, files, logdir, copies));
                console.printf(Locale.ROOT, "input: %d fixture files under %s (%,d bytes)%n", files.size(),
                        fixtures.get(), totalBytes(files));
            } else {
                console.println("fixtures: not found beside the repository (../shared/fixtures/tfevents); skipped");
            }
        }

        List<Measurement> results = new ArrayList<>();
        for (Input input : inputs) {
            for (Stage stage : options.stages) {
                Measurement m = measure(input, stage, options);
                results.add(m);
                console.printf(Locale.ROOT, "  measured %-21s %-28s per core: best %7.1f MB/s, median %7.1f MB/s%n",
                        input.name(), stage.label(), m.perCore().bestMBps(), m.perCore().medianMBps());
            }
        }

        List<Measurement> server = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Optional<Path> serverBinary = options.dataServer ? DataServerRun.locate(repoRoot) : Optional.empty();
        if (serverBinary.isPresent()) {
            console.println("  data server: " + serverBinary.get());
            for (Input input : inputs) {
                Measurement theirs = runServer(serverBinary.get(), input, options, console);
                server.add(theirs);
                Measurement deepest = results.stream().filter(m -> m.input().equals(input.name()))
                        .reduce((a, b) -> b).orElse(null);
                if (deepest != null) {
                    notes.add(ratio(input.name(), deepest, theirs));
                }
            }
        } else if (options.dataServer) {
            notes.add("data server: not found (set " + DataServerRun.ENV
                    + " or install tensorboard-data-server in a venv beside the repo); not compared");
        }

        String table = Report.table(results, server, notes);
        console.println();
        console.print(table);
        Path csv = out.resolve("parse-bench.csv");
        Files.writeString(csv, Report.csv(results, server));
        console.println("wrote " + csv);
    }

    private static String ratio(String input, Measurement ours, Measurement theirs) {
        String text = String.format(Locale.ROOT, "%s: ours (%s) / data server, medians: %.2fx wall clock",
                input, ours.stage(), ours.wallClock().medianMBps() / theirs.wallClock().medianMBps());
        if (ours.hasCpuTime() && theirs.hasCpuTime()) {
            text += String.format(Locale.ROOT, ", %.2fx per CPU core",
                    ours.perCore().medianMBps() / theirs.perCore().medianMBps());
        }
        return text;
    }

    /** What to parse; the data server reads {@code serverCopies} copies of it from {@code logdir}. */
    private record Input(String name, List<Path> files, Path logdir, int serverCopies) {
    }

    private static Measurement measure(Input input, Stage stage, Options options) throws IOException {
        // Calibrate: repeat the input so that one iteration lasts long enough to time well.
        long start = System.nanoTime();
        Stage.Counts once = runAll(input.files(), stage, 1);
        long onceNanos = Math.max(1, System.nanoTime() - start);
        int reps = (int) Math.max(1, Math.ceil(options.minIterationMs * 1e6 / onceNanos));
        long events = stage == Stage.CRC32C_ONLY
                ? runAll(input.files(), Stage.FRAMING, 1).events() // the CRC pass sees no records itself
                : once.events();
        // Warm up by count and by time: the JIT must be done compiling, or its threads' CPU time
        // lands in the measured iterations.
        long warmUntil = System.nanoTime() + options.warmupMs * 1_000_000;
        long warmNanos = 0;
        for (int i = 0; i < options.warmup || System.nanoTime() < warmUntil; i++) {
            long t = System.nanoTime();
            runAll(input.files(), stage, reps);
            warmNanos = System.nanoTime() - t;
        }
        // Calibrate again on warm code, which runs many times faster than the first pass.
        reps = (int) Math.max(1, Math.ceil(options.minIterationMs * 1e6 / Math.max(1.0, warmNanos / (double) reps)));
        long[] wall = new long[options.iterations];
        long[] cpu = new long[options.iterations];
        for (int i = 0; i < wall.length; i++) {
            long c = ProcessCpuClock.nanos();
            long t = System.nanoTime();
            runAll(input.files(), stage, reps);
            wall[i] = System.nanoTime() - t;
            cpu[i] = ProcessCpuClock.nanos() - c;
        }
        return new Measurement(input.name(), stage.label(), once.bytes() * reps, events * reps, wall, cpu);
    }

    private static long blackhole;

    private static Stage.Counts runAll(List<Path> files, Stage stage, int reps) throws IOException {
        Stage.Counts total = new Stage.Counts(0, 0, 0);
        for (int r = 0; r < reps; r++) {
            for (Path file : files) {
                total = total.plus(stage.run(file));
            }
        }
        blackhole += total.checksum();
        return total;
    }

    private static Measurement runServer(Path binary, Input input, Options options, PrintStream console)
            throws IOException, InterruptedException {
        DataServerRun.loadOnce(binary, input.logdir(), 300); // warm the page cache and the binary
        long[] wall = new long[options.serverRuns];
        long[] cpu = new long[options.serverRuns];
        for (int i = 0; i < wall.length; i++) {
            DataServerRun.Cycle cycle = DataServerRun.loadOnce(binary, input.logdir(), 300);
            wall[i] = cycle.wallNanos();
            cpu[i] = cycle.cpuNanos();
        }
        console.printf(Locale.ROOT, "  data server on %-21s load cycles %s ms%n", input.name(),
                Arrays.toString(Arrays.stream(wall).map(n -> n / 1_000_000).toArray()));
        long events = runAll(input.files(), Stage.FRAMING, 1).events() * input.serverCopies();
        String stage = "TensorBoard data server --checksum"
                + (input.serverCopies() > 1 ? " (x" + input.serverCopies() + ")" : "");
        return new Measurement(input.name(), stage, totalBytes(input.files()) * input.serverCopies(), events,
                wall, cpu);
    }

    private static long totalBytes(List<Path> files) throws IOException {
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        return total;
    }

    private static Path repoRoot() {
        String configured = System.getProperty("athanor.repo.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("bench")) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    private static Optional<Path> fixturesDir(Path repoRoot) {
        Path dir = repoRoot.resolveSibling("shared").resolve("fixtures").resolve("tfevents");
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    private static List<Path> fixtureFiles(Path dir) throws IOException {
        Path golden = dir.resolve("golden");
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(golden))
                    .filter(p -> EventFileNames.isEventFile(p.getFileName().toString()))
                    .sorted()
                    .toList();
        }
    }

    /**
     * A logdir for the data server with only the fixture event files, as symbolic links at their
     * relative paths under {@code copy-N/} (each copy is a separate set of runs): the fixtures
     * folder also holds golden JSON files whose names contain "tfevents", which the server would
     * try to load.
     */
    private static Path fixtureLogdir(Path fixtures, List<Path> files, int copies, Path logdir) throws IOException {
        if (Files.isDirectory(logdir)) {
            try (Stream<Path> old = Files.walk(logdir)) {
                for (Path p : old.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.delete(p);
                }
            }
        }
        for (int copy = 0; copy < copies; copy++) {
            for (Path file : files) {
                Path link = logdir.resolve("copy-" + copy).resolve(fixtures.relativize(file).toString());
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, file.toAbsolutePath());
            }
        }
        return logdir;
    }

    private static final class Options {
        Path out;
        long events = 1_000_000;
        long minMb = 50;
        int warmup = 5;
        long warmupMs = 4000;
        int iterations = 10;
        long minIterationMs = 500;
        int serverRuns = 5;
        boolean fixtures = true;
        boolean dataServer = true;
        Set<Stage> stages = EnumSet.allOf(Stage.class);

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--out" -> o.out = Path.of(args[++i]);
                    case "--events" -> o.events = Long.parseLong(args[++i]);
                    case "--min-mb" -> o.minMb = Long.parseLong(args[++i]);
                    case "--warmup" -> o.warmup = Integer.parseInt(args[++i]);
                    case "--warmup-ms" -> o.warmupMs = Long.parseLong(args[++i]);
                    case "--iterations" -> o.iterations = Integer.parseInt(args[++i]);
                    case "--min-iteration-ms" -> o.minIterationMs = Long.parseLong(args[++i]);
                    case "--server-runs" -> o.serverRuns = Integer.parseInt(args[++i]);
                    case "--stages" -> {
                        o.stages = EnumSet.noneOf(Stage.class);
                        for (String name : args[++i].split(",")) {
                            o.stages.add(Stage.valueOf(name.trim().toUpperCase(Locale.ROOT)));
                        }
                    }
                    case "--no-fixtures" -> o.fixtures = false;
                    case "--no-data-server" -> o.dataServer = false;
                    default -> throw new IllegalArgumentException("unknown option " + arg
                            + " (see the ParseBench class comment)");
                }
            }
            if (o.iterations < 1 || o.serverRuns < 1) {
                throw new IllegalArgumentException("--iterations and --server-runs must be at least 1");
            }
            return o;
        }
    }
}
