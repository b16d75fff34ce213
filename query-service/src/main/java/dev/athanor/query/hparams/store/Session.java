package dev.athanor.query.hparams.store;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.Map;

/** One hparams session (a run that logged hparams) with its metric values (last value of each metric). */
public record Session(long runId, String run, String group, String status, String sessionStatus, Instant startedAt,
                      @JsonRawValue String hparams, Map<String, Double> metrics) {
}
