package dev.athanor.rawlog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of raw segments: valid TensorBoard event-file names that sort in write order, so stock
 * TensorBoard reads a run's segments in the order they were written, across owners too:
 * {@code events.out.tfevents.<epoch seconds, 10 digits>.<fencing epoch, 10 digits>.<node>.<seq, 8 digits>.athanor}.
 * The creation second comes first; within one second a later owner's segments (higher fencing
 * epoch) sort after an earlier owner's. Names written before the fencing epoch was part of them
 * ({@code <seconds>.<node>.<seq>.athanor}) still parse, with epoch 0.
 */
public final class SegmentNames {

    /** TensorBoard reads only files whose name holds this; every segment name starts with it. */
    public static final String EVENT_FILE_MARK = "events.out.tfevents.";

    private static final String SHAPE = EVENT_FILE_MARK
            + "<10-digit epoch seconds>.<10-digit fencing epoch>.<node>.<8-digit sequence>.athanor";
    private static final Pattern SEGMENT = Pattern.compile(
            "events\\.out\\.tfevents\\.(\\d{10})\\.(?:(\\d{10})\\.)?([A-Za-z0-9-]+)\\.(\\d{8})\\.athanor");

    private SegmentNames() {
    }

    /** What a segment name encodes; {@code fencingEpoch} is 0 for names from before epochs were named. */
    public record SegmentName(long epochSeconds, long fencingEpoch, String node, int seq) {

        /** The file name. */
        public String fileName() {
            return fencingEpoch == 0 ? legacyName(epochSeconds, node, seq) : name(epochSeconds, fencingEpoch, node, seq);
        }
    }

    public static String name(long epochSeconds, long fencingEpoch, String node, int seq) {
        if (fencingEpoch <= 0) {
            throw new IllegalArgumentException("fencing epoch must be positive, got " + fencingEpoch);
        }
        return "events.out.tfevents.%010d.%010d.%s.%08d.athanor".formatted(epochSeconds, fencingEpoch, node, seq);
    }

    /** A name without a fencing epoch: segments written where no lease exists (tools, tests) and before epochs. */
    public static String legacyName(long epochSeconds, String node, int seq) {
        return "events.out.tfevents.%010d.%s.%08d.athanor".formatted(epochSeconds, node, seq);
    }

    public static boolean isSegment(String fileName) {
        return SEGMENT.matcher(fileName).matches();
    }

    /**
     * The parts of a segment's file name.
     *
     * @throws IllegalArgumentException for any other name (a stock TensorBoard event file, a path, an asset)
     */
    public static SegmentName parse(String fileName) {
        Matcher m = SEGMENT.matcher(fileName);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + fileName + "' is not a raw-log segment name (expected " + SHAPE + ")");
        }
        long fencingEpoch = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        return new SegmentName(Long.parseLong(m.group(1)), fencingEpoch, m.group(3), Integer.parseInt(m.group(4)));
    }

    /** Host names can hold characters that do not belong in a file name; keep letters, digits and '-'. */
    public static String sanitizeNode(String node) {
        String cleaned = node.replaceAll("[^A-Za-z0-9-]", "-");
        return cleaned.isEmpty() ? "node" : cleaned;
    }

    /**
     * The node name of a writer that was given none: this machine's host name up to its first dot,
     * sanitized ("localhost" when it cannot be resolved). ingest-service writes under it, and the local
     * suite scopes the archive-service beside that replica to it.
     */
    public static String defaultNode() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        int dot = host.indexOf('.');
        return sanitizeNode(dot > 0 ? host.substring(0, dot) : host);
    }
}
