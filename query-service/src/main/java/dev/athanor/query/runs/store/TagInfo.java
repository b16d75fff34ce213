package dev.athanor.query.runs.store;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One tag of a run.
 *
 * @param dataClass   TensorBoard data class: scalar, tensor, blob_sequence or unknown
 * @param points      number of points (steps) stored
 * @param displayName and {@code description} from the summary metadata, when the writer set them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TagInfo(String tag, String plugin, String dataClass, long points, Long firstStep, Long lastStep,
                      String displayName, String description) {
}
