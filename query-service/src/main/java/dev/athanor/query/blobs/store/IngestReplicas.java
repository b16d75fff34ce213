package dev.athanor.query.blobs.store;

import dev.athanor.query.assets.store.AssetFileReader;

import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.rawlog.RemoteSegmentSource;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The ingest replicas as query-service reaches them: which one holds a segment (the node that
 * wrote it, raw_segment.ingest_node, at the address it last announced in ingest_node, if it was
 * seen recently) and one long-lived gRPC channel per address.
 */
public final class IngestReplicas implements RemoteSegmentSource.Locator, AssetFileReader.Locator, AutoCloseable {

    private final Jdbc jdbc;
    private final Duration seenWithin;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /** @param seenWithin a replica not seen this long is taken as gone (its data is read from the archive) */
    public IngestReplicas(Jdbc jdbc, Duration seenWithin) {
        this.jdbc = jdbc;
        this.seenWithin = seenWithin;
    }

    @Override
    public Optional<RemoteSegmentSource.Location> locate(String segment) {
        return jdbc.one(SqlFragment.of("""
                        SELECT s.run_id, n.name, n.address FROM raw_segment s JOIN ingest_node n ON n.name = s.ingest_node
                         WHERE s.relative_path = ? AND s.hot_deleted_at IS NULL
                           AND n.seen_at > now() - make_interval(secs => ?)""", segment, seenWithin.toSeconds()),
                rs -> new RemoteSegmentSource.Location(rs.getLong(1), rs.getString(2), rs.getString(3)));
    }

    /** The replica that stored a run's asset file (run_asset.ingest_node), if it was seen recently. */
    @Override
    public Optional<RemoteSegmentSource.Location> locateAsset(String relativePath) {
        return jdbc.one(SqlFragment.of("""
                        SELECT a.run_id, n.name, n.address FROM run_asset a JOIN ingest_node n ON n.name = a.ingest_node
                         WHERE a.relative_path = ? AND a.state = 'COMPLETE'
                           AND n.seen_at > now() - make_interval(secs => ?)""", relativePath, seenWithin.toSeconds()),
                rs -> new RemoteSegmentSource.Location(rs.getLong(1), rs.getString(2), rs.getString(3)));
    }

    /** The channel to a replica's gRPC address (plaintext: in-cluster traffic, NetworkPolicy-limited). */
    public Channel channel(String address) {
        return channels.computeIfAbsent(address, a -> NettyChannelBuilder.forTarget(a).usePlaintext().build());
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel channel : channels.values()) {
            channel.shutdown();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
