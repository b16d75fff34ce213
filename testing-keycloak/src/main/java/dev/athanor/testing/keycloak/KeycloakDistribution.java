package dev.athanor.testing.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Keycloak server distribution: the {@code org.keycloak:keycloak-quarkus-dist} zip that Maven
 * resolved into the local repository (this module depends on it, so nothing else downloads it),
 * unpacked once into a cache directory keyed by version.
 *
 * <p>The cache sits beside the local repository ({@code ~/.m2/athanor-cache/keycloak-<version>})
 * so a CI cache of {@code ~/.m2} also keeps Keycloak's first-start build (its Quarkus augmentation,
 * written into {@code lib/quarkus}), which costs more than the unpacking.
 *
 * <p>System properties override the defaults: {@code athanor.keycloak.dist.zip} (the zip) and
 * {@code athanor.keycloak.cache} (the directory the distribution is unpacked under).
 */
public final class KeycloakDistribution {

    public static final String ZIP_PROPERTY = "athanor.keycloak.dist.zip";
    public static final String CACHE_PROPERTY = "athanor.keycloak.cache";
    private static final String MARKER = ".athanor-unpacked";

    private final String version;
    private final Path zip;
    private final Path cacheRoot;

    private KeycloakDistribution(String version, Path zip, Path cacheRoot) {
        this.version = version;
        this.zip = zip;
        this.cacheRoot = cacheRoot;
    }

    /** The distribution this module was built against, found in the local Maven repository. */
    public static KeycloakDistribution resolved() {
        Properties built = builtProperties();
        String version = built.getProperty("keycloak.version");
        Path localRepo = localRepository(built.getProperty("maven.local.repository"));
        Path zip = System.getProperty(ZIP_PROPERTY) != null
                ? Path.of(System.getProperty(ZIP_PROPERTY))
                : localRepo.resolve("org/keycloak/keycloak-quarkus-dist").resolve(version)
                        .resolve("keycloak-quarkus-dist-" + version + ".zip");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("Keycloak distribution zip not found at " + zip
                    + ". It is a Maven dependency of athanor-testing-keycloak: resolve it with"
                    + " `./mvnw -pl testing-keycloak dependency:resolve` (or set -D" + ZIP_PROPERTY + "=<zip>).");
        }
        Path cache = System.getProperty(CACHE_PROPERTY) != null
                ? Path.of(System.getProperty(CACHE_PROPERTY))
                : localRepo.getParent().resolve("athanor-cache");
        return new KeycloakDistribution(version, zip, cache);
    }

    public String version() {
        return version;
    }

    public Path zip() {
        return zip;
    }

    /** The directory this version is (or will be) unpacked into. */
    public Path home() {
        return cacheRoot.resolve("keycloak-" + version);
    }

    /**
     * Unpacks the zip into {@link #home()} unless a complete earlier unpacking is there, and returns
     * {@link #home()}. Safe across processes: the unpacking happens under a file lock, into a
     * temporary directory that is renamed into place, then marked complete.
     */
    public Path unpacked() {
        Path home = home();
        if (Files.isRegularFile(home.resolve(MARKER))) {
            return home;
        }
        try {
            Files.createDirectories(cacheRoot);
            try (FileChannel channel = FileChannel.open(cacheRoot.resolve(home.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (Files.isRegularFile(home.resolve(MARKER))) {
                    return home; // another process finished it while this one waited
                }
                deleteRecursively(home);
                Path staging = Files.createTempDirectory(cacheRoot, home.getFileName() + ".unpacking-");
                try {
                    unzip(zip, staging);
                    Path top = singleTopDirectory(staging);
                    Files.move(top, home, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    deleteRecursively(staging);
                }
                for (String script : new String[] {"kc.sh", "kcadm.sh", "kcreg.sh"}) {
                    Path p = home.resolve("bin").resolve(script);
                    if (Files.exists(p)) {
                        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
                Files.writeString(home.resolve(MARKER), zip + "\n");
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip + " into " + home, e);
        }
    }

    private static void unzip(Path zip, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            var entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("zip entry escapes the target directory: " + entry.getName() + " in " + zip);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    private static Path singleTopDirectory(Path staging) throws IOException {
        try (Stream<Path> children = Files.list(staging)) {
            var dirs = children.filter(Files::isDirectory).toList();
            if (dirs.size() != 1 || !Files.isRegularFile(dirs.get(0).resolve("bin/kc.sh"))) {
                throw new IOException("expected one top directory holding bin/kc.sh in the Keycloak zip, found " + dirs);
            }
            return dirs.get(0);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Path localRepository(String builtWith) {
        String override = System.getProperty("maven.repo.local");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        if (builtWith != null && !builtWith.isBlank() && !builtWith.startsWith("${")) {
            return Path.of(builtWith);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static Properties builtProperties() {
        Properties p = new Properties();
        try (InputStream in = KeycloakDistribution.class.getResourceAsStream("keycloak-dist.properties")) {
            if (in == null) {
                throw new IllegalStateException("keycloak-dist.properties missing from athanor-testing-keycloak");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
