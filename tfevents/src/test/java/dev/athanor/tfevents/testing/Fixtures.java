package dev.athanor.tfevents.testing;


import dev.athanor.testing.OptionalPart;
import dev.athanor.tfevents.event.EventFileNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the shared TensorBoard event-file fixtures ({@code <repo root>/../shared/fixtures/tfevents},
 * described by its MANIFEST.md). The repository root comes from the system property
 * {@value #REPO_ROOT_PROPERTY} (surefire sets it), else from walking up from the working
 * directory. Tests that need the fixtures are skipped, with a message saying where they were
 * looked for, only when the folder does not exist. Reusable from other modules through the
 * test-jar ({@code athanor-tfevents:test-jar}).
 */
public final class Fixtures {

    public static final String REPO_ROOT_PROPERTY = "athanor.repo.root";
    /** Golden JSON lives beside the fixtures, under this folder, at {@code <relative path>.json}. */
    public static final String GOLDEN_DIR = "golden";

    private static final Path RELATIVE_TO_REPO = Paths.get("..", "shared", "fixtures", "tfevents");

    private Fixtures() {
    }

    /** The fixtures folder, if it exists. */
    public static Optional<Path> find() {
        return candidates().map(root -> root.resolve(RELATIVE_TO_REPO).normalize())
                .filter(Files::isDirectory)
                .findFirst();
    }

    /**
     * The fixtures folder; skips the calling test when it does not exist (fails it where the
     * fixtures are required, as on CI: {@link OptionalPart}).
     */
    public static Path dir() {
        Optional<Path> dir = find();
        OptionalPart.FIXTURES.assumePresent(dir.isPresent(), () -> "TensorBoard fixtures not found: looked for " + RELATIVE_TO_REPO
                + " relative to " + candidates().toList() + " (set -D" + REPO_ROOT_PROPERTY
                + "=<repo root>); skipping");
        return dir.get();
    }

    /** Every event file of the fixtures (golden JSON excluded), sorted by relative path. */
    public static List<Path> eventFiles() {
        Path dir = dir();
        Path golden = dir.resolve(GOLDEN_DIR);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> !file.startsWith(golden))
                    .filter(file -> EventFileNames.isEventFile(file.getFileName().toString()))
                    .sorted((a, b) -> relativeName(a).compareTo(relativeName(b)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list fixtures under " + dir, e);
        }
    }

    /** One fixture by its path relative to the fixtures folder ('/'-separated); skips when the folder is absent. */
    public static Path file(String relativeName) {
        Path file = dir().resolve(relativeName);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no fixture " + relativeName + " under " + dir());
        }
        return file;
    }

    /** The fixture's path relative to the fixtures folder, '/'-separated (as MANIFEST.md names it). */
    public static String relativeName(Path eventFile) {
        Path relative = dir().relativize(eventFile.toAbsolutePath().normalize());
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }

    /** The golden JSON of an event file ({@code golden/<relative path>.json}); may not exist for new fixtures. */
    public static Path golden(Path eventFile) {
        return dir().resolve(GOLDEN_DIR).resolve(relativeName(eventFile) + ".json");
    }

    private static Stream<Path> candidates() {
        Stream.Builder<Path> roots = Stream.builder();
        String configured = System.getProperty(REPO_ROOT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            roots.add(Paths.get(configured).toAbsolutePath().normalize());
        }
        for (Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath().normalize();
             dir != null; dir = dir.getParent()) {
            roots.add(dir);
        }
        return roots.build();
    }
}
