package dev.athanor.tfevents.event;

import java.util.Locale;
import java.util.Set;

/** TensorFlow's event-file naming: {@code events.out.tfevents.<secs>.<host>[.<pid>.<counter>][<suffix>]}. */
public final class EventFileNames {

    public static final String PREFIX = "events.out.tfevents.";

    // Files that sit beside event files and carry their names in their own (exports, goldens,
    // notes); TensorBoard would try to read them and report garbage.
    private static final Set<String> NOT_EVENT_SUFFIXES =
            Set.of(".json", ".jsonl", ".csv", ".txt", ".md", ".png", ".py", ".gz", ".zip", ".tmp", ".lock");

    private EventFileNames() {
    }

    /**
     * TensorBoard's rule (the name contains "tfevents"), minus names that end in a suffix of
     * another format, such as {@code events.out.tfevents.1.host.json} written by an export tool.
     */
    public static boolean isEventFile(String fileName) {
        if (!fileName.contains("tfevents")) {
            return false;
        }
        int dot = fileName.lastIndexOf('.');
        return dot < 0 || !NOT_EVENT_SUFFIXES.contains(fileName.substring(dot).toLowerCase(Locale.ROOT));
    }

    /**
     * The name TensorFlow's C++ writer gives a file: seconds since the epoch, host, process id and
     * a per-process counter, then the writer's suffix (TF2 writes ".v2").
     */
    public static String name(long epochSeconds, String host, long pid, long counter, String suffix) {
        return PREFIX + epochSeconds + "." + host + "." + pid + "." + counter + (suffix == null ? "" : suffix);
    }
}
