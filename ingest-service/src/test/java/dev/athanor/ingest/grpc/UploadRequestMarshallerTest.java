package dev.athanor.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.athanor.proto.ingest.v1.IngestServiceGrpc;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.proto.ingest.v1.UploadRequest;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UploadRequestMarshallerTest {

    private static final UploadRequestMarshaller MARSHALLER = UploadRequestMarshaller.INSTANCE;

    @Test
    void parsesEveryFieldAsProtobufWroteIt() throws Exception {
        UploadRequest request = request(300);
        assertThat(MARSHALLER.parse(new TransportStream(request.toByteArray()))).isEqualTo(request);
        // A stream that does not know its length is read to its end.
        assertThat(MARSHALLER.parse(new ByteArrayInputStream(request.toByteArray()))).isEqualTo(request);
        assertThat(MARSHALLER.parse(MARSHALLER.stream(request))).isEqualTo(request);
    }

    @Test
    void recordsAreSlicesOfTheMessageNotCopies() {
        UploadRequest request = request(20);
        byte[] bytes = request.toByteArray();
        List<ByteString> records = MARSHALLER.parse(new TransportStream(bytes)).getBatch().getRecordsList();
        int searchFrom = 0;
        for (ByteString record : records) {
            // A slice's buffer view starts where the record lies in the message; a copy's at 0.
            int at = indexOf(bytes, record.toByteArray(), searchFrom);
            assertThat(record.asReadOnlyByteBuffer().position()).isEqualTo(at).isPositive();
            searchFrom = at + record.size();
        }
    }

    @Test
    void recordsKeepTheirBytesWhenTheTransportReusesItsBuffer() {
        UploadRequest request = request(50);
        byte[] transportBuffer = request.toByteArray();
        UploadRequest parsed = MARSHALLER.parse(new TransportStream(transportBuffer));
        // The transport hands its buffer to the next message: records aliasing it would change.
        Arrays.fill(transportBuffer, (byte) 0x5a);
        assertThat(parsed).isEqualTo(request);
        for (int i = 0; i < parsed.getBatch().getRecordsCount(); i++) {
            assertThat(parsed.getBatch().getRecords(i).toByteArray())
                    .isEqualTo(request.getBatch().getRecords(i).toByteArray());
        }
    }

    @Test
    void malformedBytesAreRefusedSayingWhatAndHowLong() {
        byte[] truncated = Arrays.copyOf(request(10).toByteArray(), 37);
        assertThatThrownBy(() -> MARSHALLER.parse(new TransportStream(truncated)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription())
                            .contains("UploadRequest of 37 bytes is not a valid protobuf message");
                });
    }

    @Test
    void aTransportThatAnnouncesMoreThanItHoldsIsAnError() {
        byte[] bytes = request(3).toByteArray();
        InputStream lying = new TransportStream(bytes) {
            @Override
            public int available() {
                return bytes.length + 10;
            }
        };
        assertThatThrownBy(() -> MARSHALLER.parse(lying))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
                        .contains("message ended after " + bytes.length + " of its " + (bytes.length + 10) + " bytes"));
    }

    @Test
    void theServiceParsesUploadWithItAndKeepsEveryOtherMethodAsGenerated() {
        IngestGrpcService service = new IngestGrpcService(null, null, null, null, null, null, null, null, null, null);
        ServerServiceDefinition generated = new IngestServiceGrpc.IngestServiceImplBase() { }.bindService();
        ServerServiceDefinition served = service.bindService();

        MethodDescriptor<?, ?> upload = served.getMethod(IngestServiceGrpc.getUploadMethod().getFullMethodName())
                .getMethodDescriptor();
        assertThat(upload.getRequestMarshaller()).isSameAs(MARSHALLER);
        assertThat(upload.getResponseMarshaller()).isSameAs(IngestServiceGrpc.getUploadMethod().getResponseMarshaller());
        assertThat(upload.getType()).isEqualTo(MethodDescriptor.MethodType.BIDI_STREAMING);
        assertThat(names(served)).isEqualTo(names(generated));
        assertThat(served.getServiceDescriptor().getSchemaDescriptor())
                .isSameAs(generated.getServiceDescriptor().getSchemaDescriptor());
        for (ServerMethodDefinition<?, ?> method : served.getMethods()) {
            if (method.getMethodDescriptor() != upload) {
                assertThat(method.getMethodDescriptor())
                        .isSameAs(generated.getMethod(method.getMethodDescriptor().getFullMethodName()).getMethodDescriptor());
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("record not found in the message from offset " + from);
    }

    private static Set<String> names(ServerServiceDefinition definition) {
        return definition.getMethods().stream().map(m -> m.getMethodDescriptor().getFullMethodName())
                .collect(Collectors.toSet());
    }

    private static UploadRequest request(int records) {
        List<ByteString> payloads = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            payloads.add(ByteString.copyFromUtf8("event " + i + " of a run, as a TFRecord payload would be"));
        }
        return UploadRequest.newBuilder().setBatch(RecordBatch.newBuilder().setBatchId(7).setExperimentId("42")
                .setRunPath("sweep/lr=0.1").setFileName("events.out.tfevents.1.host").setStartOffset(4096)
                .addAllRecords(payloads)).build();
    }

    /** Like grpc-java's message stream: knows its length, reads from a buffer the transport owns. */
    private static class TransportStream extends ByteArrayInputStream implements KnownLength {
        TransportStream(byte[] buffer) {
            super(buffer);
        }
    }
}
