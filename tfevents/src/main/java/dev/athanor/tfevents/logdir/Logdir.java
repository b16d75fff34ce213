package dev.athanor.tfevents.logdir;

import dev.athanor.tfevents.event.EventFileNames;
import dev.athanor.wire.WireNames;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A TensorBoard log directory: every directory below the root (the root included) that directly
 * holds event files is a run, named by its path relative to the root.
 *
 * <p>Hidden directories are runs like any other (TensorBoard walks them too, so
 * {@code .ipynb_checkpoints/} or {@code .hydra/} runs show in both), except those that can never
 * hold a run and are costly to walk on every scan: version-control metadata ({@code .git},
 * {@code .hg}, {@code .svn}) and Athanor's own directories ({@code .athanor*}: the local suite's
 * home holds raw-log segments that look like event files). Symbolic links are followed; a link that loops
 * back, and a directory that cannot be read, are listed in {@link #problems()} and skipped, and
 * the scan goes on.
 *
 * @param root            the scanned directory
 * @param runs            the runs, sorted by name
 * @param profilerTraces  the directories holding PyTorch profiler traces, sorted by name (runs of
 *                        PyTorch's TensorBoard plugin, with or without event files beside them)
 * @param problems        one sentence per directory or file that could not be read
 */
public record Logdir(Path root, List<Run> runs, List<ProfilerTraces> profilerTraces, List<String> problems) {

    public Logdir {
        runs = List.copyOf(runs);
        profilerTraces = List.copyOf(profilerTraces);
        problems = List.copyOf(problems);
    }

    /** Scans {@code root}. Fails only when {@code root} itself is not a readable directory. */
    public static Logdir scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "not a directory: cannot scan it as a logdir");
        }
        Path start = root.toAbsolutePath().normalize();
        Map<String, List<Path>> filesByRun = new TreeMap<>();
        Map<String, Path> dirByRun = new TreeMap<>();
        Map<String, List<Path>> tracesByRun = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        Files.walkFileTree(start, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        if (!dir.equals(start) && isSkipped(dir)) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        Path name = file.getFileName();
                        if (attrs.isRegularFile() && name != null && EventFileNames.isEventFile(name.toString())) {
                            Path dir = file.getParent();
                            String run = runName(start, dir);
                            filesByRun.computeIfAbsent(run, r -> new ArrayList<>()).add(root.resolve(start.relativize(file)));
                            dirByRun.putIfAbsent(run, root.resolve(start.relativize(dir)));
                        } else if (attrs.isRegularFile() && name != null && isRunTraceName(name.toString())
                                && !inPlugins(start, file)) {
                            tracesByRun.computeIfAbsent(runName(start, file.getParent()), r -> new ArrayList<>())
                                    .add(root.resolve(start.relativize(file)));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        if (file.equals(start)) {
                            problems.add("%s: cannot read the logdir: %s".formatted(file, e));
                        } else if (e instanceof FileSystemLoopException) {
                            problems.add("%s: symbolic link loops back to a directory being scanned; skipped".formatted(file));
                        } else if (!isSkipped(file)) {
                            problems.add("%s: cannot be read (%s); skipped".formatted(file, describe(e)));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                        if (e != null) {
                            problems.add("%s: listing stopped early (%s); runs below it may be missing"
                                    .formatted(dir, describe(e)));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
        List<Run> runs = new ArrayList<>(filesByRun.size());
        filesByRun.forEach((name, files) -> {
            files.sort(Comparator.comparing(file -> file.getFileName().toString()));
            runs.add(new Run(name, dirByRun.get(name), files));
        });
        List<ProfilerTraces> traces = new ArrayList<>(tracesByRun.size());
        tracesByRun.forEach((name, files) -> {
            files.sort(Comparator.comparing(file -> file.getFileName().toString()));
            traces.add(new ProfilerTraces(name, files));
        });
        return new Logdir(root, runs, traces, problems);
    }

    public Optional<Run> run(String name) {
        return runs.stream().filter(run -> run.name().equals(name)).findFirst();
    }

    private static String runName(Path root, Path dir) {
        Path relative = root.relativize(dir);
        if (relative.toString().isEmpty()) {
            return ".";
        }
        StringBuilder name = new StringBuilder();
        for (Path part : relative) {
            if (!name.isEmpty()) {
                name.append('/');
            }
            name.append(part);
        }
        return name.toString();
    }

    /** Below a {@code plugins/} directory a trace is a plugin file of the run above it, not a run's own trace. */
    private static boolean inPlugins(Path root, Path file) {
        for (Path part : root.relativize(file.getParent())) {
            if (part.toString().equals(WireNames.ASSET_ROOT)) {
                return true;
            }
        }
        return false;
    }

    /** Directories never entered (see the class comment). */
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", ".hg", ".svn");

    private static boolean isSkipped(Path path) {
        Path name = path.getFileName();
        if (name == null || !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        return isSkippedDirectoryName(name.toString());
    }

    /** True for a directory never entered (see the class comment), by its name. */
    public static boolean isSkippedDirectoryName(String dir) {
        return SKIPPED_DIRECTORIES.contains(dir) || dir.startsWith(".athanor");
    }

    /**
     * True for the name of a PyTorch profiler trace that makes its directory a run of PyTorch's
     * plugin (hidden files excepted); one below a {@code plugins/} directory is a plugin file of
     * the run above it instead.
     */
    public static boolean isRunTraceName(String fileName) {
        return WireNames.isRunRootTrace(fileName) && !fileName.startsWith(".");
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
