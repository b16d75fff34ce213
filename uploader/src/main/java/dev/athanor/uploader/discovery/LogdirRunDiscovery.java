package dev.athanor.uploader.discovery;

import dev.athanor.tfevents.logdir.Logdir;
import dev.athanor.tfevents.logdir.ProfilerTraces;
import dev.athanor.tfevents.logdir.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs as the codec's {@link Logdir} finds them (TensorBoard's rules: every directory holding
 * event files is a run, hidden ones too, except version-control metadata and .athanor*; links are
 * followed), plus each file's current size, which tells the uploader what grew since the last
 * scan, and the asset files of each run: those below its {@code plugins/} directory (and the
 * logdir's own) and PyTorch's traces in it. A directory holding PyTorch traces alone is a run, as
 * in PyTorch's TensorBoard plugin.
 */
public final class LogdirRunDiscovery implements RunDiscovery {

    private final Path root;

    public LogdirRunDiscovery(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    @Override
    public LogdirScan scan() throws IOException {
        Logdir logdir;
        try {
            logdir = Logdir.scan(root);
        } catch (NoSuchFileException e) {
            throw missing();
        }
        if (!Files.isDirectory(root)) {
            throw missing(); // removed while it was being walked
        }
        List<DiscoveredFile> files = new ArrayList<>();
        List<String> problems = new ArrayList<>(logdir.problems());
        List<DiscoveredAsset> assets = new ArrayList<>();
        Set<String> runPaths = new TreeSet<>();
        for (Run run : logdir.runs()) {
            runPaths.add(run.name());
        }
        // The profiler alone (tf.profiler.experimental.start(logdir)) writes plugins/ without any event file.
        runPaths.add(".");
        for (ProfilerTraces traces : logdir.profilerTraces()) {
            runPaths.add(traces.run());
        }
        for (String runPath : runPaths) {
            PluginAssets.collect(root, runPath, assets, problems);
        }
        for (ProfilerTraces traces : logdir.profilerTraces()) {
            PluginAssets.collectTraces(traces, assets, problems);
        }
        assets.sort(Comparator.comparing(DiscoveredAsset::runPath).thenComparing(DiscoveredAsset::path));
        for (Run run : logdir.runs()) {
            for (Path file : run.eventFiles()) {
                long size;
                try {
                    size = Files.size(file);
                } catch (NoSuchFileException gone) {
                    continue; // deleted since the walk: the next scan will not list it either
                } catch (IOException unreadable) {
                    size = 0; // listed anyway, so that reading it reports the problem by name
                }
                files.add(new DiscoveredFile(run.name(), file.getFileName().toString(), file, size));
            }
        }
        return new LogdirScan(files, problems, assets);
    }

    private LogdirMissingException missing() {
        return new LogdirMissingException(root, Files.exists(root)
                ? "logdir " + root + " is not a directory"
                : "logdir " + root + " does not exist (removed or unmounted?)");
    }
}
