package dev.athanor.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root directory, which the tests find sibling modules and {@code ../venv} from. */
public final class RepoRoot {

    /** Surefire sets it to the reactor root in every module. */
    public static final String PROPERTY = "athanor.repo.root";

    private RepoRoot() {
    }

    /** {@value #PROPERTY}, else the nearest directory up from the working one that holds the reactor pom. */
    public static Path path() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("query-service")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root; set -D" + PROPERTY);
    }
}
