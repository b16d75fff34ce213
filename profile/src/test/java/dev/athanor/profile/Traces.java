package dev.athanor.profile;

import dev.athanor.profile.decode.TraceSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real traces of src/test/resources/profiles (written by generate_profiles.py) and file sources. */
public final class Traces {

    private Traces() {
    }

    /** A trace as a file of this module's test resources (not from the test jar: see {@link #bytes}). */
    public static Path resource(String name) {
        try {
            return Path.of(Traces.class.getResource("/profiles/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TraceSource file(Path file) {
        return new TraceSource() {
            @Override
            public String name() {
                return file.getFileName().toString();
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }

    /** A trace's bytes; read as a stream, so it works from this module's test jar too. */
    public static byte[] bytes(String name) {
        try (InputStream in = Traces.class.getResourceAsStream("/profiles/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test trace " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
