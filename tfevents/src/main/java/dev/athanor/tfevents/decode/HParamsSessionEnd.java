package dev.athanor.tfevents.decode;

import dev.athanor.proto.tensorboard.hparams.Status;
import dev.athanor.tfevents.compat.TimeSeries;

/** The end of an hparams session ({@code _hparams_/session_end_info}). */
public record HParamsSessionEnd(TimeSeries series, long step, double wallTime, Status status, double endTimeSecs)
        implements DecodedValue {
}
