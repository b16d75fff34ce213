package dev.athanor.tfevents.decode;

import dev.athanor.proto.tensorboard.hparams.DatasetType;

/**
 * A metric an hparams experiment compares sessions by: the scalar series {@code tag}, read in the
 * session's run directory joined with {@code group} (for example "validation").
 */
public record MetricDefinition(String group, String tag, String displayName, String description,
                               DatasetType datasetType) {
}
