package dev.athanor.query.dataprovider;

import dev.athanor.proto.tensorboard.data.TensorBoardDataProviderGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/** A real grpc-java channel to the data-provider port, as TensorBoard (or the CLI's proxy) opens one. */
final class DataProviderClient implements AutoCloseable {

    private final ManagedChannel channel;

    DataProviderClient(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(256 << 20).build();
    }

    TensorBoardDataProviderGrpc.TensorBoardDataProviderBlockingStub stub() {
        return TensorBoardDataProviderGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** A stub whose calls carry {@code authorization: <value>}. */
    TensorBoardDataProviderGrpc.TensorBoardDataProviderBlockingStub stub(String authorization) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
        return stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
