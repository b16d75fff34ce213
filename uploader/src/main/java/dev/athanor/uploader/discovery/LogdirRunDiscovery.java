package dev.athanor.uploader.discovery;

import dev.athanor.tfevents.logdir.Logdir;
import dev.athanor.tfevents.logdir.ProfilerTraces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs as the codec's {@link Logdir} defines them (TensorBoard's rules: every directory holding
 * event files is a run, hidden ones too, except version-control metadata and .athanor*; links are
 * followed), plus each file's size, which tells the uploader what grew since the last scan, and
 * the asset files of each run: those below its {@code plugins/} directory (and the logdir's own)
 * and PyTorch's traces in it. A directory holding PyTorch traces alone is a run, as in PyTorch's
 * TensorBoard plugin.
 *
 * <p>Scans are incremental ({@link WatchedTree}): a directory is listed again only when it
 * changed, and a file's size is read at every scan only while it grows; an idle file or
 * directory is looked at less and less often, at least every {@link #maxIdleCheck(Duration)}
 * (ten poll intervals, at most 10 s). {@link #scanEverything()} looks at every entry.
 */
public final class LogdirRunDiscovery implements RunDiscovery {

    private static final Duration MAX_IDLE_CHECK = Duration.ofSeconds(10);
    private static final int IDLE_CHECK_POLLS = 10;

    private final Path root;
    private final Clock clock;
    private final WatchedTree tree;

    public LogdirRunDiscovery(Path root) {
        this(root, Duration.ofSeconds(1), Clock.systemUTC());
    }

    /**
     * @param pollInterval how often the uploader scans (the unit of the idle back-off)
     * @param clock        when each scan happens (tests move it by hand)
     */
    public LogdirRunDiscovery(Path root, Duration pollInterval, Clock clock) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tree = new WatchedTree(this.root, pollInterval.toMillis(), maxIdleCheck(pollInterval).toMillis());
    }

    /** The longest an idle event file or directory goes without being looked at: 10 poll intervals, at most 10 s. */
    public static Duration maxIdleCheck(Duration pollInterval) {
        Duration tenPolls = pollInterval.multipliedBy(IDLE_CHECK_POLLS);
        return tenPolls.compareTo(MAX_IDLE_CHECK) < 0 ? tenPolls : MAX_IDLE_CHECK;
    }

    @Override
    public LogdirScan scan() throws IOException {
        return scan(false);
    }

    @Override
    public LogdirScan scanEverything() throws IOException {
        return scan(true);
    }

    /** How many times the file system was asked for an entry's attributes so far. */
    public long statCalls() {
        return tree.statCalls();
    }

    private LogdirScan scan(boolean everything) throws IOException {
        WatchedTree.Found found;
        try {
            found = tree.scan(clock.millis(), everything);
        } catch (NoSuchFileException e) {
            throw missing();
        }
        List<DiscoveredFile> files = found.files();
        files.sort(Comparator.comparing(DiscoveredFile::runPath).thenComparing(DiscoveredFile::fileName));
        List<String> problems = new ArrayList<>(found.problems());
        Set<String> runPaths = new TreeSet<>();
        for (DiscoveredFile file : files) {
            runPaths.add(file.runPath());
        }
        // The profiler alone (tf.profiler.experimental.start(logdir)) writes plugins/ without any event file.
        runPaths.add(".");
        Map<String, List<Path>> traces = new TreeMap<>(found.traces());
        runPaths.addAll(traces.keySet());
        List<DiscoveredAsset> assets = new ArrayList<>();
        for (String runPath : found.pluginRuns()) {
            if (runPaths.contains(runPath)) {
                PluginAssets.collect(root, runPath, assets, problems);
            }
        }
        traces.forEach((run, paths) -> PluginAssets.collectTraces(new ProfilerTraces(run, paths), assets, problems));
        assets.sort(Comparator.comparing(DiscoveredAsset::runPath).thenComparing(DiscoveredAsset::path));
        return new LogdirScan(files, problems, assets);
    }

    private LogdirMissingException missing() {
        return new LogdirMissingException(root, Files.exists(root)
                ? "logdir " + root + " is not a directory"
                : "logdir " + root + " does not exist (removed or unmounted?)");
    }
}
