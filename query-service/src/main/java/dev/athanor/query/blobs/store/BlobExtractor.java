package dev.athanor.query.blobs.store;

import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.tfevents.compat.DataClassConversions;
import dev.athanor.tfevents.compat.PluginNames;
import java.util.List;

/**
 * The blob sequence one Event holds for a tag, migrated as TensorBoard does: legacy images become
 * [width, height, encoded image], legacy audio [clip], string tensors their elements (per plugin),
 * and graph events their single serialized proto. Returns null when the Event has nothing for the tag.
 */
public final class BlobExtractor {

    private BlobExtractor() {
    }

    public static List<ByteString> blobs(Event event, String tag, String plugin) {
        switch (event.getWhatCase()) {
            case GRAPH_DEF -> {
                return PluginNames.RUN_GRAPH_TAG.equals(tag) ? List.of(event.getGraphDef()) : null;
            }
            case META_GRAPH_DEF -> {
                return PluginNames.RUN_META_GRAPH_TAG.equals(tag) ? List.of(event.getMetaGraphDef()) : null;
            }
            case TAGGED_RUN_METADATA -> {
                return tag.equals(event.getTaggedRunMetadata().getTag())
                        ? List.of(event.getTaggedRunMetadata().getRunMetadata()) : null;
            }
            case SUMMARY -> {
                for (Summary.Value value : event.getSummary().getValueList()) {
                    String valueTag = value.getTag().isEmpty() ? value.getNodeName() : value.getTag();
                    if (tag.equals(valueTag)) {
                        return DataClassConversions.blobSequence(value, plugin);
                    }
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }
}
