package dev.athanor.tfevents.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The shared real event files, when present, as extra fuzz inputs (the fuzz test runs on its
 * generated corpus either way). Found at {@code <repo root>/../shared/fixtures/tfevents}.
 */
final class FuzzFixtures {

    private FuzzFixtures() {
    }

    /** Relative path to bytes of every event file under the fixtures folder; empty if absent. */
    static Map<String, byte[]> eventFiles() {
        Map<String, byte[]> files = new TreeMap<>();
        Path root = fixturesRoot();
        if (root == null) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> !root.relativize(p).startsWith("golden"))
                    .filter(p -> EventFileNames.isEventFile(p.getFileName().toString()))
                    .forEach(p -> {
                        try {
                            files.put(root.relativize(p).toString(), Files.readAllBytes(p));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static Path fixturesRoot() {
        String repoRoot = System.getProperty("athanor.repo.root");
        Path start = repoRoot != null ? Path.of(repoRoot) : Path.of(System.getProperty("user.dir"));
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("fixtures").resolve("tfevents");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
