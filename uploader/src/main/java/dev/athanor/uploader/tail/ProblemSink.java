package dev.athanor.uploader.tail;

import dev.athanor.uploader.Problem;

/** Receives data problems as they are found (they are reported once each, not per retry). */
@FunctionalInterface
public interface ProblemSink {
    void report(Problem problem);
}
