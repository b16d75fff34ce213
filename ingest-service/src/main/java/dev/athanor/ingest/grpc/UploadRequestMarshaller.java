package dev.athanor.ingest.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.athanor.proto.ingest.v1.IngestServiceGrpc;
import dev.athanor.proto.ingest.v1.UploadRequest;
import dev.athanor.proto.ingest.v1.UploadResponse;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import java.io.IOException;
import java.io.InputStream;

/**
 * Parses the Upload stream's requests with each record a slice of the message's own bytes, not a
 * copy. grpc-java's protobuf marshaller reads a message into a buffer it reuses and then copies
 * every {@code bytes} field out of it: at ~60 bytes a TFRecord, one small array (and its
 * {@code ByteString}) per point, and every record's bytes copied twice before the raw log frames
 * them. Here a message is read once into an array of its own, and the records alias it
 * ({@link CodedInputStream#enableAliasing}).
 *
 * <p>The array is the message's alone (never pooled, never the transport's buffer), so a record
 * holds its bytes alive for as long as anything holds the record — a batch waiting in the stream's
 * queue, a forward to another replica — and nothing can overwrite them underneath it. Zero copy
 * from Netty's direct buffers ({@code Detachable}/{@code HasByteBuffer}) would need every record's
 * holder to release the transport's buffer; one bulk copy per message is the price of not having that.
 *
 * <p>Writing (the client side, tests) is protobuf's own marshaller.
 */
final class UploadRequestMarshaller implements MethodDescriptor.Marshaller<UploadRequest> {

    static final UploadRequestMarshaller INSTANCE = new UploadRequestMarshaller();

    private static final MethodDescriptor.Marshaller<UploadRequest> PROTO =
            ProtoUtils.marshaller(UploadRequest.getDefaultInstance());

    private UploadRequestMarshaller() {
    }

    /** {@code definition} (the ingest service as its generated base binds it) with Upload parsed by this marshaller. */
    @SuppressWarnings("unchecked")
    static ServerServiceDefinition servingUpload(ServerServiceDefinition definition) {
        MethodDescriptor<UploadRequest, UploadResponse> generated = IngestServiceGrpc.getUploadMethod();
        ServerMethodDefinition<?, ?> upload = definition.getMethod(generated.getFullMethodName());
        if (upload == null) {
            throw new IllegalArgumentException(definition.getServiceDescriptor().getName() + " has no "
                    + generated.getFullMethodName() + " to parse");
        }
        MethodDescriptor<UploadRequest, UploadResponse> aliasing = generated.toBuilder(INSTANCE,
                generated.getResponseMarshaller()).build();
        ServiceDescriptor old = definition.getServiceDescriptor();
        ServiceDescriptor.Builder service = ServiceDescriptor.newBuilder(old.getName())
                .setSchemaDescriptor(old.getSchemaDescriptor());
        for (ServerMethodDefinition<?, ?> method : definition.getMethods()) {
            service.addMethod(method == upload ? aliasing : method.getMethodDescriptor());
        }
        ServerServiceDefinition.Builder served = ServerServiceDefinition.builder(service.build());
        for (ServerMethodDefinition<?, ?> method : definition.getMethods()) {
            if (method == upload) {
                served.addMethod(aliasing, (ServerCallHandler<UploadRequest, UploadResponse>) upload.getServerCallHandler());
            } else {
                served.addMethod(method);
            }
        }
        return served.build();
    }

    @Override
    public InputStream stream(UploadRequest value) {
        return PROTO.stream(value);
    }

    @Override
    public UploadRequest parse(InputStream stream) {
        byte[] message;
        try {
            message = readMessage(stream);
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("UploadRequest: could not read the message: " + e.getMessage())
                    .withCause(e).asRuntimeException();
        }
        try {
            // Aliasing needs a buffer protobuf may treat as immutable: the message's own array,
            // which nothing writes after this read (CodedInputStream.newInstance(byte[]) would copy).
            CodedInputStream input = UnsafeByteOperations.unsafeWrap(message).newCodedInput();
            input.enableAliasing(true);
            input.setSizeLimit(Integer.MAX_VALUE); // the transport already bounds a message's size
            UploadRequest request = UploadRequest.parser().parseFrom(input);
            input.checkLastTagWas(0);
            return request;
        } catch (InvalidProtocolBufferException e) {
            throw Status.INVALID_ARGUMENT.withDescription("UploadRequest of " + message.length
                            + " bytes is not a valid protobuf message: " + e.getMessage())
                    .withCause(e).asRuntimeException();
        }
    }

    /** The whole message in a new array of its own (the transport knows its length: one read, one copy). */
    private static byte[] readMessage(InputStream stream) throws IOException {
        if (!(stream instanceof KnownLength)) {
            return stream.readAllBytes();
        }
        int size = stream.available();
        byte[] message = new byte[size];
        int read = stream.readNBytes(message, 0, size);
        if (read < size) {
            throw new IOException("message ended after " + read + " of its " + size + " bytes");
        }
        if (stream.read() != -1) {
            throw new IOException("message is longer than the " + size + " bytes its transport announced");
        }
        return message;
    }
}
