package dev.athanor.uploader.discovery;

import dev.athanor.tfevents.logdir.ProfilerTraces;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/**
 * Finds the asset files of one run: every regular file below {@code <run>/plugins/}, such as the
 * profiler's {@code plugins/profile/<session>/<host>.xplane.pb}, and PyTorch's traces right in the
 * run directory ({@code <worker>.<timestamp>.pt.trace.json[.gz]}, found by the logdir scan). Hidden
 * files and directories are skipped (writers' temporary files), and so are event files (they are
 * uploaded as records, and would make a run of the plugin directory).
 */
final class PluginAssets {

    static final String DIRECTORY = "plugins";
    /** Deep enough for plugins/<plugin>/<session>/<file> and a few levels more. */
    private static final int MAX_DEPTH = 8;

    private PluginAssets() {
    }

    static void collect(Path logdir, String runPath, List<DiscoveredAsset> assets, List<String> problems) {
        Path runDir = ".".equals(runPath) ? logdir : logdir.resolve(runPath);
        Path plugins = runDir.resolve(DIRECTORY);
        if (!Files.isDirectory(plugins)) {
            return;
        }
        List<DiscoveredAsset> found = new ArrayList<>();
        try {
            Files.walkFileTree(plugins, EnumSet.of(FileVisitOption.FOLLOW_LINKS), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(plugins) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (attrs.isRegularFile() && !hidden(file) && !name.contains("tfevents")) {
                        String relative = runDir.relativize(file).toString().replace('\\', '/');
                        found.add(new DiscoveredAsset(runPath, relative, file, attrs.size(),
                                attrs.lastModifiedTime().toMillis()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    if (!(e instanceof NoSuchFileException)) {
                        problems.add(file + ": cannot be read (" + e.getMessage() + "); plugin files below it are not uploaded");
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            problems.add(plugins + ": cannot be listed (" + e.getMessage() + "); its plugin files are not uploaded");
        }
        found.sort(Comparator.comparing(DiscoveredAsset::path));
        assets.addAll(found);
    }

    /** PyTorch's traces of a run, stored under their file name (they are in the run directory itself). */
    static void collectTraces(ProfilerTraces traces, List<DiscoveredAsset> assets, List<String> problems) {
        for (Path file : traces.files()) {
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (NoSuchFileException gone) {
                continue; // deleted since the walk
            } catch (IOException e) {
                problems.add(file + ": cannot be read (" + e.getMessage() + "); not uploaded");
                continue;
            }
            assets.add(new DiscoveredAsset(traces.run(), file.getFileName().toString(), file, attrs.size(),
                    attrs.lastModifiedTime().toMillis()));
        }
    }

    private static boolean hidden(Path path) {
        return path.getFileName().toString().startsWith(".");
    }
}
