package dev.athanor.uploader.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a credential kept alone in a file (a token, a client secret), as Kubernetes mounts a
 * Secret key: one line, surrounding whitespace and the final newline ignored. Messages name the
 * file and never its content.
 */
public final class SingleLineFile {

    private SingleLineFile() {
    }

    /**
     * @param what what the file holds, for messages ("token file", "client secret file")
     * @throws IOException when the file cannot be read, is empty, or holds more than one line
     */
    public static String read(Path file, String what) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IOException("cannot read " + what + " " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null || e.getMessage().equals(file.toString()) ? "" : " (" + e.getMessage() + ")"), e);
        }
        if (text.isEmpty()) {
            throw new IOException(what + " " + file + " is empty");
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IOException(what + " " + file + " holds more than one line or control characters");
        }
        return text;
    }
}
