package dev.athanor.cli.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The logins of {@code athanor login}, one per server URL, in {@code <config dir>/credentials.json}.
 * The file holds refresh tokens, so it is written with mode 0600 (its directory 0700) on POSIX
 * systems, replaced atomically (a temporary file renamed over it), and its mode is tightened again
 * if someone loosened it.
 */
public final class TokenStore {

    public static final String FILE_NAME = "credentials.json";
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final Path file;

    public TokenStore(Path configDir) {
        this.file = configDir.resolve(FILE_NAME);
    }

    public static TokenStore standard() {
        return new TokenStore(ConfigDir.resolve());
    }

    public Path file() {
        return file;
    }

    public synchronized Optional<StoredLogin> get(String server) throws IOException {
        return Optional.ofNullable(read().logins().get(server));
    }

    public synchronized void put(String server, StoredLogin login) throws IOException {
        Map<String, StoredLogin> logins = new TreeMap<>(read().logins());
        logins.put(server, login);
        write(new Contents(logins));
    }

    /** Removes the login to {@code server}; returns it when there was one. */
    public synchronized Optional<StoredLogin> remove(String server) throws IOException {
        Map<String, StoredLogin> logins = new TreeMap<>(read().logins());
        StoredLogin removed = logins.remove(server);
        if (removed != null) {
            write(new Contents(logins));
        }
        return Optional.ofNullable(removed);
    }

    public synchronized Map<String, StoredLogin> all() throws IOException {
        return read().logins();
    }

    private Contents read() throws IOException {
        if (!Files.exists(file)) {
            return new Contents(Map.of());
        }
        try {
            Contents contents = JSON.readValue(file.toFile(), new TypeReference<Contents>() { });
            return contents.logins() == null ? new Contents(Map.of()) : contents;
        } catch (IOException e) {
            throw new IOException("the login store " + file + " is not readable (" + e.getMessage().lines().findFirst().orElse("")
                    + "); remove it and run athanor login again", e);
        }
    }

    private void write(Contents contents) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path temp = dir.resolve(FILE_NAME + ".tmp-" + ProcessHandle.current().pid());
        Files.deleteIfExists(temp);
        try {
            if (posix) {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(temp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot write " + temp + ": it appeared while writing the login store", e);
        }
        try {
            Files.write(temp, JSON.writeValueAsBytes(contents));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            if (posix && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The file's shape: {@code {"logins": {"<server URL>": {...}}}}. */
    record Contents(Map<String, StoredLogin> logins) {
    }
}
