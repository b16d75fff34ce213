package dev.athanor.ingest.grpc;

import dev.athanor.ingest.config.IngestConfig;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * Closes gRPC connections that cost a descriptor and do nothing: connections without a call for
 * {@code connections.max-idle} (grpc-java's max connection idle: a GOAWAY, clients reconnect on
 * their next call), and connections that never answer the server's keepalive ping (Quarkus'
 * {@code quarkus.grpc.server.netty.keep-alive-time}, in application.properties), which includes a
 * peer that stopped in the middle of the HTTP/2 preface. Quarkus has no setting for the first.
 */
@ApplicationScoped
public class GrpcConnectionLimits implements ServerBuilderCustomizer<VertxServerBuilder> {

    private final IngestConfig config;

    public GrpcConnectionLimits(IngestConfig config) {
        this.config = config;
    }

    @Override
    public void customize(GrpcServerConfiguration serverConfig, VertxServerBuilder builder) {
        builder.nettyBuilder().maxConnectionIdle(config.connections().maxIdle().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(config.connections().keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
