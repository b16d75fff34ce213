package dev.athanor.tfevents.logdir;

import java.nio.file.Path;
import java.util.List;

/**
 * The PyTorch profiler traces of a directory, written there by {@code tensorboard_trace_handler}
 * ({@code <worker>.<timestamp>.pt.trace.json[.gz]}). PyTorch's TensorBoard plugin shows such a
 * directory as a run even when it holds no event file, and so does Athanor.
 *
 * @param run   the directory relative to the logdir root, named as {@link Run#name()} is
 * @param files its trace files, sorted by file name
 */
public record ProfilerTraces(String run, List<Path> files) {

    public ProfilerTraces {
        files = List.copyOf(files);
    }
}
