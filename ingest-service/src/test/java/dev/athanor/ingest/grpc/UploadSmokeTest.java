package dev.athanor.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.SourceFiles;
import dev.athanor.ingest.testing.UploadClient;
import dev.athanor.proto.ingest.v1.CreateExperimentRequest;
import dev.athanor.proto.ingest.v1.Experiment;
import dev.athanor.proto.ingest.v1.GetCommittedOffsetsRequest;
import dev.athanor.proto.ingest.v1.IngestServiceGrpc;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.testing.Fixtures;
import io.grpc.Channel;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class UploadSmokeTest {

    @GrpcClient("ingest")
    Channel channel;

    @Test
    void uploadsAFileAndReportsItsCommittedOffset() throws Exception {
        var blocking = IngestServiceGrpc.newBlockingStub(channel);
        var async = IngestServiceGrpc.newStub(channel);
        Experiment exp = blocking.createExperiment(CreateExperimentRequest.newBuilder().setName("smoke").build());
        Path file = Fixtures.file("generated/tf_summary/rewind_in_file/events.out.tfevents.1795729068.vm.29665.6.v2");
        List<TfRecord> records = SourceFiles.records(file);
        UploadClient client = new UploadClient(async);
        client.sendAll(SourceFiles.batches(exp.getExperimentId(), "train", file.getFileName().toString(), records, 0, 5, 1));
        Status status = client.finish();
        assertThat(status.isOk()).as(status.toString()).isTrue();
        assertThat(client.acks).hasSize(3);
        assertThat(client.acks.getLast().getCommittedOffset()).isEqualTo(882);
        var offsets = blocking.getCommittedOffsets(GetCommittedOffsetsRequest.newBuilder()
                .setExperimentId(exp.getExperimentId()).build());
        assertThat(offsets.getOffsetsList()).hasSize(1);
        assertThat(offsets.getOffsets(0).getCommittedOffset()).isEqualTo(882);
    }
}
