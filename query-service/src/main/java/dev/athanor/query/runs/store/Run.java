package dev.athanor.query.runs.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.Map;

/**
 * A run as listed: attributes, typed hparams (raw JSON: numbers stay numbers, null stays null)
 * and, when asked for, extra column values keyed by how the column was written.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Run(long id, long experimentId, String experiment, String path, String status, Instant startedAt,
                  Instant lastEventAt, Instant endedAt, @JsonRawValue String hparams, String sessionGroup,
                  String sessionStatus, Map<String, Object> values) {
}
