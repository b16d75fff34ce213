package dev.athanor.tfevents.event;

import java.util.regex.Pattern;

/** TensorFlow's event-file naming: {@code events.out.tfevents.<secs>.<host>[.<pid>.<counter>][<suffix>]}. */
public final class EventFileNames {

    public static final String PREFIX = "events.out.tfevents.";

    // TensorBoard itself treats any file whose name contains "tfevents" as an event file.
    private static final Pattern EVENT_FILE = Pattern.compile(".*tfevents.*");

    private EventFileNames() {
    }

    /** True for names TensorBoard would load as event files. */
    public static boolean isEventFile(String fileName) {
        return EVENT_FILE.matcher(fileName).matches();
    }

    /**
     * The name TensorFlow's C++ writer gives a file: seconds since the epoch, host, process id and
     * a per-process counter, then the writer's suffix (TF2 writes ".v2").
     */
    public static String name(long epochSeconds, String host, long pid, long counter, String suffix) {
        return PREFIX + epochSeconds + "." + host + "." + pid + "." + counter + (suffix == null ? "" : suffix);
    }
}
