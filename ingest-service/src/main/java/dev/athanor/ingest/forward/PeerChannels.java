package dev.athanor.ingest.forward;

import dev.athanor.ingest.config.IngestConfig;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One long-lived gRPC channel per other replica's address (as query-service's IngestReplicas
 * keeps them): plaintext, in-cluster traffic limited by NetworkPolicy. Closed at shutdown.
 */
@ApplicationScoped
public class PeerChannels implements AutoCloseable {

    private final Duration connectTimeout;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public PeerChannels(IngestConfig config) {
        this.connectTimeout = config.forward().connectTimeout();
    }

    /** The channel to a replica's gRPC address (host:port). */
    public Channel channel(String address) {
        return channels.computeIfAbsent(address, a -> NettyChannelBuilder.forTarget(a).usePlaintext()
                // A vanished pod's address may never answer: fail the forward (UNAVAILABLE) in bounded
                // time rather than the transport's default.
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .build());
    }

    @PreDestroy
    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel channel : channels.values()) {
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        channels.clear();
    }
}
