package dev.athanor.profile.decode;

import java.util.Locale;
import java.util.Optional;

/** The trace formats decoded, told by the file name as the frameworks write it. */
public enum ProfileFormat {
    /** TensorFlow/JAX: {@code <host>.xplane.pb} */
    XPLANE(".xplane.pb"),
    /** PyTorch's tensorboard_trace_handler: {@code <worker>.<ts>.pt.trace.json[.gz]} */
    PYTORCH_TRACE(".pt.trace.json.gz", ".pt.trace.json"),
    /** older TensorFlow: {@code <host>.trace.json.gz} (Chrome trace JSON) */
    CHROME_TRACE(".trace.json.gz", ".trace.json");

    private final String[] suffixes;

    ProfileFormat(String... suffixes) {
        this.suffixes = suffixes;
    }

    /** The format of a file name, or empty for files that are not decoded (memory profiles, tool data). */
    public static Optional<ProfileFormat> of(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        for (ProfileFormat f : values()) {
            for (String s : f.suffixes) {
                if (name.endsWith(s)) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    /** The file name without the format's suffix: the host (or worker) the trace is of. */
    public String host(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        for (String s : suffixes) {
            if (name.endsWith(s)) {
                return fileName.substring(0, fileName.length() - s.length());
            }
        }
        return fileName;
    }

    public boolean gzip(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".gz");
    }
}
