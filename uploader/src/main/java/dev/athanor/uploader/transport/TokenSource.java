package dev.athanor.uploader.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * Where the bearer token comes from: a file (re-read when it changes, so a rotated Kubernetes
 * Secret is picked up on the next connection), an environment variable, an authorization server
 * ({@code dev.athanor.uploader.auth.ClientCredentialsTokenSource}), or nowhere.
 */
public interface TokenSource {

    /**
     * The token, or null when none is configured.
     *
     * @throws dev.athanor.uploader.auth.AuthorizationServerUnavailable when a token could not be
     *         fetched for now (worth retrying); any other {@link IOException} when it cannot be had
     */
    String token() throws IOException;

    /** Says where the token comes from, for messages (never the token itself). */
    String describe();

    /**
     * The server refused {@code rejected} as invalid or expired: forget it, so that the next
     * {@link #token()} fetches a new one. Returns whether a new one may be had; sources that
     * cannot fetch tokens return false.
     */
    default boolean renew(String rejected) {
        return false;
    }

    /** A token file if given, else the environment variable if set and not blank, else none. */
    static TokenSource from(Path tokenFile, String envName, Map<String, String> environment) throws IOException {
        if (tokenFile != null) {
            FileToken file = new FileToken(tokenFile);
            file.token(); // fail now, with a clear message, rather than at the first call
            return file;
        }
        if (envName != null && !envName.isBlank()) {
            String value = environment.get(envName);
            if (value != null && !value.isBlank()) {
                return new EnvToken(envName, value.strip());
            }
        }
        return new NoToken();
    }

    record NoToken() implements TokenSource {
        @Override
        public String token() {
            return null;
        }

        @Override
        public String describe() {
            return "no token";
        }
    }

    record EnvToken(String name, String value) implements TokenSource {
        @Override
        public String token() {
            return value;
        }

        @Override
        public String describe() {
            return "the token in $" + name;
        }

        @Override
        public String toString() {
            return "EnvToken[" + name + "]";
        }
    }

    final class FileToken implements TokenSource {
        private final Path file;
        private FileTime readAt;
        private String cached;

        FileToken(Path file) {
            this.file = file;
        }

        @Override
        public synchronized String token() throws IOException {
            FileTime modified;
            try {
                modified = Files.getLastModifiedTime(file);
            } catch (IOException e) {
                throw new IOException("cannot read token file " + file + ": " + e.getClass().getSimpleName(), e);
            }
            if (cached == null || !modified.equals(readAt)) {
                cached = SingleLineFile.read(file, "token file");
                readAt = modified;
            }
            return cached;
        }

        @Override
        public String describe() {
            return "the token in " + file;
        }
    }
}
