package dev.athanor.cli.inspect;

import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.tfevents.decode.DecodedValue;

/** What {@code athanor inspect} reports per (run, tag): plugin, data class, count, step range. */
final class TagStats {

    private final String plugin;
    private final DataClass dataClass;
    private long values;
    private long firstStep;
    private long lastStep;

    TagStats(DecodedValue first) {
        this.plugin = first.pluginName();
        this.dataClass = first.dataClass();
    }

    void add(long step) {
        if (values == 0) {
            firstStep = step;
        }
        lastStep = step;
        values++;
    }

    String plugin() {
        return plugin;
    }

    String dataClass() {
        return switch (dataClass) {
            case DATA_CLASS_SCALAR -> "scalar";
            case DATA_CLASS_TENSOR -> "tensor";
            case DATA_CLASS_BLOB_SEQUENCE -> "blob_sequence";
            default -> "unknown";
        };
    }

    long values() {
        return values;
    }

    long firstStep() {
        return firstStep;
    }

    long lastStep() {
        return lastStep;
    }
}
