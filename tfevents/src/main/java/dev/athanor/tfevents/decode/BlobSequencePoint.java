package dev.athanor.tfevents.decode;

import com.google.protobuf.ByteString;
import dev.athanor.tfevents.compat.TimeSeries;
import java.util.List;

/**
 * A point of a BLOB_SEQUENCE series: images ({@code [width, height, image...]} with width and
 * height as decimal ASCII), audio clips (labels are not part of the sequence, as in TensorBoard),
 * graphs and run metadata (one serialized proto). The blobs share the parsed Event's memory.
 */
public record BlobSequencePoint(TimeSeries series, long step, double wallTime, List<ByteString> blobs)
        implements DecodedValue {
}
