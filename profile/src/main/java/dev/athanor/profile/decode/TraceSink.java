package dev.athanor.profile.decode;

/**
 * Receives a trace as a reader decodes it, in file order (not time order). Times are nanoseconds
 * on the trace's own clock.
 */
public interface TraceSink {

    /** Declares (or renames) a lane: a thread, a stream, a derived device line. */
    void lane(long laneId, String name, boolean device);

    /** A complete event; {@code type} is the op type (TF) or category (PyTorch), may be empty. */
    void event(long laneId, long startNs, long durationNs, String name, String type, EventKind kind);

    /** A step marker (also an event of its lane); {@code step} is the framework's step number. */
    void step(long laneId, long step, long startNs, long durationNs, String name);

    /** Memory in use by {@code series} (an allocator, a device) at a moment. */
    void memory(String series, long timeNs, long bytes);

    /** Something of the trace was left out, and why (counted, never silent). */
    void skipped(String what);
}
