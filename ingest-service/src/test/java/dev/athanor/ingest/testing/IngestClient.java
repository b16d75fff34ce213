package dev.athanor.ingest.testing;

import dev.athanor.proto.ingest.v1.CreateExperimentRequest;
import dev.athanor.proto.ingest.v1.CreateRunRequest;
import dev.athanor.proto.ingest.v1.IngestServiceGrpc;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.tfevents.record.TfRecord;
import io.grpc.Channel;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.List;

/** Test-side convenience over the real gRPC stubs. */
public final class IngestClient {

    public final IngestServiceGrpc.IngestServiceBlockingStub blocking;
    public final IngestServiceGrpc.IngestServiceStub async;

    public IngestClient(Channel channel) {
        this.blocking = IngestServiceGrpc.newBlockingStub(channel);
        this.async = IngestServiceGrpc.newStub(channel);
    }

    public String experiment(String name) {
        return blocking.createExperiment(CreateExperimentRequest.newBuilder().setName(name).build()).getExperimentId();
    }

    public long run(String experimentId, String path) {
        return Long.parseLong(blocking.createRun(CreateRunRequest.newBuilder().setExperimentId(experimentId)
                .setPath(path).build()).getRunId());
    }

    /** Uploads whole files on one stream, each cut into batches of {@code perBatch} records; returns the stream. */
    public UploadClient upload(String experimentId, String runPath, List<Path> files, int perBatch) throws Exception {
        UploadClient client = new UploadClient(async);
        long batchId = 1;
        for (Path file : files) {
            List<TfRecord> records = SourceFiles.records(file);
            List<RecordBatch> batches = SourceFiles.batches(experimentId, runPath, file.getFileName().toString(),
                    records, 0, perBatch, batchId);
            batchId += batches.size();
            client.sendAll(batches);
        }
        Status status = client.finish();
        if (!status.isOk()) {
            throw status.asException();
        }
        return client;
    }
}
