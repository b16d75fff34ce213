package dev.athanor.ingest.testing;

import com.google.protobuf.ByteString;
import dev.athanor.proto.ingest.v1.AssetChunk;
import dev.athanor.proto.ingest.v1.AssetHeader;
import dev.athanor.proto.ingest.v1.AssetState;
import dev.athanor.proto.ingest.v1.GetAssetStateRequest;
import dev.athanor.proto.ingest.v1.IngestServiceGrpc;
import dev.athanor.proto.ingest.v1.UploadAssetRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.MessageDigest;
import io.grpc.stub.ClientCallStreamObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/** Test-side asset uploads over the real stubs: whole files, prefixes, and malformed streams. */
public final class AssetClient {

    private final IngestServiceGrpc.IngestServiceBlockingStub blocking;
    private final IngestServiceGrpc.IngestServiceStub async;

    public AssetClient(IngestClient client) {
        this.blocking = client.blocking;
        this.async = client.async;
    }

    /** How a stream ended: the server's state, or its error. */
    public record Outcome(AssetState state, Status status) {
    }

    public static AssetHeader header(String experimentId, String runPath, String path, byte[] content) throws Exception {
        return AssetHeader.newBuilder().setExperimentId(experimentId).setRunPath(runPath).setPath(path)
                .setSize(content.length)
                .setSha256(ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(content))).build();
    }

    public AssetState state(AssetHeader header) {
        return blocking.getAssetState(GetAssetStateRequest.newBuilder().setAsset(header).build());
    }

    public static AssetChunk chunk(byte[] content, int from, int to) {
        byte[] data = Arrays.copyOfRange(content, from, to);
        CRC32C crc = new CRC32C();
        crc.update(data);
        return AssetChunk.newBuilder().setOffset(from).setData(ByteString.copyFrom(data))
                .setCrc32C((int) crc.getValue()).build();
    }

    /** The header and content[from..to) in chunks of chunkBytes, then the end of the stream. */
    public Outcome send(AssetHeader header, byte[] content, int from, int to, int chunkBytes) throws Exception {
        return stream(header, chunks(content, from, to, chunkBytes), null);
    }

    public static List<AssetChunk> chunks(byte[] content, int from, int to, int chunkBytes) {
        List<AssetChunk> chunks = new ArrayList<>();
        for (int at = from; at < to; at += chunkBytes) {
            chunks.add(chunk(content, at, Math.min(to, at + chunkBytes)));
        }
        return chunks;
    }

    /**
     * Sends the header and these chunks. With {@code serverBytes} null the stream is completed and
     * the server's answer returned; otherwise the stream is cancelled (a cut connection) once
     * {@code serverBytes} (what the server has written) covers every chunk sent.
     */
    public Outcome stream(AssetHeader header, List<AssetChunk> chunks, LongSupplier serverBytes) throws Exception {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        var requests = (ClientCallStreamObserver<UploadAssetRequest>) async.uploadAsset(new StreamObserver<>() {
            AssetState state;

            @Override
            public void onNext(AssetState value) {
                state = value;
            }

            @Override
            public void onError(Throwable t) {
                done.complete(new Outcome(state, Status.fromThrowable(t)));
            }

            @Override
            public void onCompleted() {
                done.complete(new Outcome(state, Status.OK));
            }
        });
        requests.onNext(UploadAssetRequest.newBuilder().setHeader(header).build());
        for (AssetChunk chunk : chunks) {
            requests.onNext(UploadAssetRequest.newBuilder().setChunk(chunk).build());
        }
        if (serverBytes == null) {
            requests.onCompleted();
            return done.get(30, TimeUnit.SECONDS);
        }
        long expected = chunks.isEmpty() ? 0 : chunks.getLast().getOffset() + chunks.getLast().getData().size();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.isDone() && serverBytes.getAsLong() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        requests.cancel("the test cuts the stream", null);
        return new Outcome(null, Status.CANCELLED);
    }
}
