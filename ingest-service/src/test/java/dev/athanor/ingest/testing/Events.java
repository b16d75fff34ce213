package dev.athanor.ingest.testing;

import com.google.protobuf.ByteString;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import java.util.List;

/** Builds event payloads and batches for tests that need data no fixture has. */
public final class Events {

    private Events() {
    }

    public static ByteString scalar(String tag, long step, double value) {
        return Event.newBuilder().setWallTime(1_700_000_000.0 + step).setStep(step)
                .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag)
                        .setSimpleValue((float) value)))
                .build().toByteString();
    }

    /** A batch of records starting at {@code startOffset} of the file. */
    public static RecordBatch batch(long batchId, String experimentId, String runPath, String file, long startOffset,
                                    List<ByteString> records) {
        return RecordBatch.newBuilder().setBatchId(batchId).setExperimentId(experimentId).setRunPath(runPath)
                .setFileName(file).setStartOffset(startOffset).addAllRecords(records).build();
    }

    /** Offset just past {@code records} framed from {@code startOffset}. */
    public static long end(long startOffset, List<ByteString> records) {
        long end = startOffset;
        for (ByteString r : records) {
            end += 16 + r.size();
        }
        return end;
    }
}
