package dev.athanor.ingest.testing;

import com.google.protobuf.ByteString;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.tfevents.record.CorruptRecord;
import dev.athanor.tfevents.record.EndOfData;
import dev.athanor.tfevents.record.ReadResult;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.record.TfRecordReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads an event file as an uploader would and cuts it into RecordBatches. */
public final class SourceFiles {

    private SourceFiles() {
    }

    /** The file's records with their frame offsets. */
    public static List<TfRecord> records(Path file) {
        List<TfRecord> out = new ArrayList<>();
        try (TfRecordReader reader = TfRecordReader.open(file)) {
            while (true) {
                ReadResult r = reader.next();
                switch (r) {
                    case TfRecord record -> out.add(record);
                    case CorruptRecord c -> throw new IllegalStateException(c.message());
                    case EndOfData e -> {
                        return out;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Batches of at most {@code perBatch} consecutive records, starting at record {@code from}. */
    public static List<RecordBatch> batches(String experimentId, String runPath, String fileName,
                                            List<TfRecord> records, int from, int perBatch, long firstBatchId) {
        List<RecordBatch> out = new ArrayList<>();
        long id = firstBatchId;
        for (int i = from; i < records.size(); i += perBatch) {
            RecordBatch.Builder b = RecordBatch.newBuilder().setBatchId(id++).setExperimentId(experimentId)
                    .setRunPath(runPath).setFileName(fileName).setStartOffset(records.get(i).offset());
            for (int j = i; j < Math.min(records.size(), i + perBatch); j++) {
                b.addRecords(ByteString.copyFrom(records.get(j).payload()));
            }
            out.add(b.build());
        }
        return out;
    }
}
