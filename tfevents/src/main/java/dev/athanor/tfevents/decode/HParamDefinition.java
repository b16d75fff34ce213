package dev.athanor.tfevents.decode;

import dev.athanor.proto.tensorboard.hparams.DataType;
import java.util.List;

/**
 * One hyperparameter declared by an hparams experiment.
 *
 * @param type   the declared type (STRING, BOOL, FLOAT64; UNSET when the writer gave none)
 * @param domain the allowed values, if declared
 */
public record HParamDefinition(String name, String displayName, String description, DataType type, Domain domain,
                               boolean differs) {

    public sealed interface Domain {
    }

    /** No domain declared. */
    public record Unbounded() implements Domain {
    }

    public record Discrete(List<HParamValue> values) implements Domain {
    }

    public record Interval(double min, double max) implements Domain {
    }
}
