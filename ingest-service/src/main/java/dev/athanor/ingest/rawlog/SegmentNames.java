package dev.athanor.ingest.rawlog;

import java.util.regex.Pattern;

/**
 * Names of raw segments: valid TensorBoard event-file names that sort in write order, so stock
 * TensorBoard reads a run's segments in the order they were written:
 * {@code events.out.tfevents.<epoch seconds, 10 digits>.<node>.<seq, 8 digits>.athanor}.
 */
public final class SegmentNames {

    private static final Pattern SEGMENT = Pattern.compile("events\\.out\\.tfevents\\.\\d{10}\\..+\\.\\d{8}\\.athanor");

    private SegmentNames() {
    }

    public static String name(long epochSeconds, String node, int seq) {
        return "events.out.tfevents.%010d.%s.%08d.athanor".formatted(epochSeconds, node, seq);
    }

    public static boolean isSegment(String fileName) {
        return SEGMENT.matcher(fileName).matches();
    }

    /** Host names can hold characters that do not belong in a file name; keep letters, digits and '-'. */
    public static String sanitizeNode(String node) {
        String cleaned = node.replaceAll("[^A-Za-z0-9-]", "-");
        return cleaned.isEmpty() ? "node" : cleaned;
    }
}
