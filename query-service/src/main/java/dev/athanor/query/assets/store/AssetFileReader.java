package dev.athanor.query.assets.store;

import dev.athanor.proto.ingest.v1.IngestRawReadServiceGrpc;
import dev.athanor.proto.ingest.v1.ReadAssetRangeRequest;
import dev.athanor.query.common.error.CorruptRawDataException;
import dev.athanor.query.common.error.RawDataUnavailableException;
import dev.athanor.rawlog.PassOnAuthorization;
import dev.athanor.rawlog.RemoteSegmentSource;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Finds a stored asset's bytes: the file in this machine's hot root when one holds it (a
 * single-machine setup), else the ingest replica that stored it, asked over gRPC range by range
 * with the caller's own authorization (the cluster: query-service never mounts ingest volumes).
 * A local file must have the recorded size; a different file is never served.
 */
public final class AssetFileReader {

    /** Where a replica's asset is: run_asset.ingest_node at the address it last announced. */
    public interface Locator {
        Optional<RemoteSegmentSource.Location> locateAsset(String relativePath);
    }

    private static final int RANGE = 1 << 20;  // IngestRawReadService.ReadAssetRange's largest answer
    private static final int LOCAL_BUFFER = 256 << 10;

    private final Path hotRoot;
    private final Locator locator;
    private final Function<String, Channel> channels;
    private final Duration deadline;

    public AssetFileReader(Path hotRoot, Locator locator, Function<String, Channel> channels, Duration deadline) {
        this.hotRoot = hotRoot.toAbsolutePath().normalize();
        this.locator = locator;
        this.channels = channels;
        this.deadline = deadline;
    }

    /** A reader of the local hot root only (tools, tests). */
    public AssetFileReader(Path hotRoot) {
        this(hotRoot, path -> Optional.empty(), address -> {
            throw new IllegalStateException("no ingest replicas");
        }, Duration.ofSeconds(10));
    }

    /**
     * The asset's bytes, found now so an unavailable asset is answered 503 before anything streams.
     *
     * @param authorization the caller's Authorization header for the replica, or null (auth off)
     */
    public AssetBytes open(RunAsset asset, String authorization) {
        Path file = hotRoot.resolve(asset.relativePath()).normalize();
        if (!file.startsWith(hotRoot)) {
            throw new CorruptRawDataException("asset '" + asset.path() + "' of run " + asset.runId()
                    + " is recorded outside the hot root; not served");
        }
        if (Files.isRegularFile(file)) {
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                throw new RawDataUnavailableException("asset '" + asset.path() + "' of run " + asset.runId()
                        + " cannot be read in hot storage: " + e.getMessage());
            }
            if (size != asset.size()) {
                throw new CorruptRawDataException("asset '" + asset.path() + "' of run " + asset.runId() + " has "
                        + size + " bytes in hot storage, the index recorded " + asset.size() + "; not served");
            }
            return (first, length, out) -> copyLocal(file, first, length, out);
        }
        RemoteSegmentSource.Location at = locator.locateAsset(asset.relativePath()).orElseThrow(
                () -> new RawDataUnavailableException("asset '" + asset.path() + "' of run " + asset.runId()
                        + " is not in this machine's hot storage and no live ingest replica is known to hold it"));
        return (first, length, out) -> copyRemote(asset, at, authorization, first, length, out);
    }

    private static void copyLocal(Path file, long first, long length, OutputStream out) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(LOCAL_BUFFER, Math.max(1, length)));
            long position = first;
            long left = length;
            while (left > 0) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), left));
                int n = channel.read(buffer, position);
                if (n < 0) {
                    throw new IOException(file + " ended early");
                }
                out.write(buffer.array(), 0, n);
                position += n;
                left -= n;
            }
        }
    }

    private void copyRemote(RunAsset asset, RemoteSegmentSource.Location at, String authorization, long first,
                            long length, OutputStream out) throws IOException {
        var stub = IngestRawReadServiceGrpc.newBlockingStub(channels.apply(at.address()));
        if (authorization != null && !authorization.isBlank()) {
            stub = stub.withCallCredentials(new PassOnAuthorization(authorization));
        }
        long position = first;
        long left = length;
        while (left > 0) {
            int n = (int) Math.min(RANGE, left);
            byte[] data;
            try {
                data = stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                        .readAssetRange(ReadAssetRangeRequest.newBuilder().setRunId(asset.runId())
                                .setRelativePath(asset.relativePath()).setOffset(position).setLength(n).build())
                        .getData().toByteArray();
            } catch (StatusRuntimeException e) {
                // Mid-stream: the status line is sent; cut the body so the client sees a short read.
                throw new IOException("asset '" + asset.path() + "' of run " + asset.runId() + " from ingest replica "
                        + at.node() + " at offset " + position + ": " + e.getStatus(), e);
            }
            if (data.length != n) {
                throw new IOException("asset '" + asset.path() + "' of run " + asset.runId() + ": ingest replica "
                        + at.node() + " answered " + data.length + " bytes for a range of " + n);
            }
            out.write(data);
            position += n;
            left -= n;
        }
    }
}
