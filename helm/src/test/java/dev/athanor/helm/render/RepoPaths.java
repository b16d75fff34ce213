package dev.athanor.helm.render;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the chart, its example values and the services' build files are in the repository. */
public final class RepoPaths {

    private RepoPaths() {
    }

    public static Path root() {
        String configured = System.getProperty("athanor.repo.root");
        Path root = configured != null ? Path.of(configured) : Path.of("..");
        root = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("helm/athanor"))) {
            throw new IllegalStateException("no helm/athanor under " + root + " (set -Dathanor.repo.root)");
        }
        return root;
    }

    public static Path chart() {
        return root().resolve("helm/athanor");
    }

    public static Path example(String name) {
        return root().resolve("helm/examples/values-" + name + ".yaml");
    }

    /** The Maven project version the build gives the images (set by the helm module's pom). */
    public static String projectVersion() {
        String version = System.getProperty("athanor.project.version");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("athanor.project.version is not set (the helm module's surefire config sets it)");
        }
        return version;
    }
}
