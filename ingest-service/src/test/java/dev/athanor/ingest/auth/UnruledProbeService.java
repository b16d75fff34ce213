package dev.athanor.ingest.auth;

import dev.athanor.auth.UnruledProbe;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.quarkus.grpc.GrpcService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A test-only gRPC service deliberately left out of {@link IngestAccessRules}: its method must be
 * refused to everyone, which proves that an RPC added without a rule is closed. Raw bytes in and out,
 * so it needs no proto of its own.
 */
@UnruledProbe
@GrpcService
public class UnruledProbeService implements BindableService {

    static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("athanor.test.UnruledProbe/Echo")
            .setRequestMarshaller(Bytes.INSTANCE).setResponseMarshaller(Bytes.INSTANCE).build();

    @Override
    public ServerServiceDefinition bindService() {
        return ServerServiceDefinition.builder("athanor.test.UnruledProbe")
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext("this RPC has no access rule and should never answer".getBytes(StandardCharsets.UTF_8));
                    response.onCompleted();
                }))
                .build();
    }

    enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
