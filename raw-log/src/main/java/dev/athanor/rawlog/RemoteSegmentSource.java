package dev.athanor.rawlog;

import dev.athanor.proto.ingest.v1.IngestRawReadServiceGrpc;
import dev.athanor.proto.ingest.v1.ReadSegmentRangeRequest;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads frames from the ingest replica whose volume holds the segment, over its
 * IngestRawReadService: how the rest of the cluster sees a live run's images, audio and graphs
 * without mounting ingest volumes. The replica is found by {@link Locator} (raw_segment's node and
 * ingest_node's address); the caller's own authorization is passed on, so the replica checks the
 * same project role the caller has.
 */
public final class RemoteSegmentSource implements SegmentSource {

    /** Where a segment lives: its run, the replica that wrote it and that replica's gRPC address. */
    public record Location(long runId, String node, String address) {
    }

    /** Finds where a segment lives; empty when no live replica is known to hold it. */
    @FunctionalInterface
    public interface Locator {
        Optional<Location> locate(String segment) throws IOException;
    }

    private final Locator locator;
    private final Function<String, Channel> channels;
    private final Supplier<String> authorization;
    private final Duration deadline;

    /**
     * @param channels      a (cached) channel per replica address
     * @param authorization the caller's {@code Authorization} header value, or null (auth off)
     * @param deadline      how long one read may take before the replica counts as unreachable
     */
    public RemoteSegmentSource(Locator locator, Function<String, Channel> channels, Supplier<String> authorization,
                               Duration deadline) {
        this.locator = locator;
        this.channels = channels;
        this.authorization = authorization;
        this.deadline = deadline;
    }

    /**
     * @throws NoSuchFileException when no replica holds the segment (archived and removed, or its
     *                             replica unreachable): the caller tries the archive next
     */
    @Override
    public byte[] readFrameAt(String segment, long offset, int length) throws IOException {
        Location at = locator.locate(segment).orElseThrow(() -> new NoSuchFileException(segment, null,
                "no live ingest replica is known to hold it"));
        var stub = IngestRawReadServiceGrpc.newBlockingStub(channels.apply(at.address()))
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
        String header = authorization.get();
        if (header != null && !header.isBlank()) {
            stub = stub.withCallCredentials(new PassOnAuthorization(header));
        }
        byte[] bytes;
        try {
            bytes = stub.readSegmentRange(ReadSegmentRangeRequest.newBuilder().setRunId(at.runId())
                    .setRelativePath(segment).setOffset(offset).setLength(FrameCheck.frameBytes(length)).build())
                    .getData().toByteArray();
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND || code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
                throw new NoSuchFileException(segment, null, "ingest replica " + at.node() + " (" + at.address()
                        + ") answered " + code + ": " + e.getStatus().getDescription());
            }
            throw new IOException("reading " + segment + " at " + offset + " from ingest replica " + at.node() + ": "
                    + code + " " + e.getStatus().getDescription(), e);
        }
        return FrameCheck.payload(bytes, "raw segment " + segment + " on ingest replica " + at.node(), offset, length);
    }
}
