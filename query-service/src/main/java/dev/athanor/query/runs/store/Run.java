package dev.athanor.query.runs.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A run as listed: attributes, typed hparams (raw JSON: numbers stay numbers, null stays null),
 * the metadata people set over REST (display name, labels, Markdown note, color, pinned; kept
 * through reindex) and, when asked for, extra column values keyed by how the column was written.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Run(long id, long experimentId, String experiment, String path, String status, Instant startedAt,
                  Instant lastEventAt, Instant endedAt, @JsonRawValue String hparams, String sessionGroup,
                  String sessionStatus, String displayName, List<String> labels, String note, String color,
                  boolean pinned, Map<String, Object> values) {

    /** What a label may be: 1-64 letters, digits and {@code . _ - : / = +}, starting with a letter or digit. */
    public static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-:/=+]{0,63}");
}
