package dev.athanor.profile.decode;

/**
 * What a trace event is, as far as the report cares: whether it is an op (counted in the top-ops
 * table) and which part of the step-time breakdown its time belongs to.
 */
public enum EventKind {
    /** a step marker (Keras' step_num annotation, PyTorch's ProfilerStep#N, a device "Steps" line) */
    STEP(null, false),
    /** a framework op run on the host (a TF op, a PyTorch cpu_op or record_function range) */
    HOST_OP(Category.HOST_COMPUTE, true),
    /** an op of the input pipeline (a data-loader range, a tf.data op) */
    INPUT_OP(Category.INPUT, true),
    /** input-pipeline activity that is not an op (tf.data iterator internals) */
    INPUT(Category.INPUT, false),
    /** a kernel or XLA op on an accelerator */
    DEVICE_OP(Category.DEVICE_COMPUTE, true),
    /** accelerator activity already counted as ops on another line (GPU streams beside "XLA Ops") */
    DEVICE(Category.DEVICE_COMPUTE, false),
    /** a copy, memset or collective on an accelerator */
    MEMCPY(Category.MEMCPY_COMM, true),
    /** any other activity: runtime calls, Python frames, framework internals */
    OTHER(Category.OTHER, false);

    /** The parts of a step, in the order the breakdown gives time to them when they overlap. */
    public enum Category {
        DEVICE_COMPUTE, MEMCPY_COMM, INPUT, HOST_COMPUTE, OTHER
    }

    private final Category category;
    private final boolean op;

    EventKind(Category category, boolean op) {
        this.category = category;
        this.op = op;
    }

    public Category category() {
        return category;
    }

    public boolean op() {
        return op;
    }

    public boolean device() {
        return this == DEVICE_OP || this == DEVICE || this == MEMCPY;
    }
}
