package dev.athanor.uploader.assets;

import com.google.protobuf.ByteString;
import dev.athanor.proto.ingest.v1.AssetChunk;
import dev.athanor.proto.ingest.v1.AssetHeader;
import dev.athanor.proto.ingest.v1.AssetState;
import dev.athanor.proto.ingest.v1.UploadAssetRequest;
import dev.athanor.uploader.discovery.DiscoveredAsset;
import dev.athanor.uploader.flow.RateLimiter;
import dev.athanor.uploader.transport.IngestClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Uploads one asset file at a time, on its own thread, over one connection: hashes the file
 * (SHA-256), asks the server where it stands, and streams the rest from the committed offset in
 * chunks (each with its CRC32C), with gRPC flow control, so at most one chunk is in memory. The
 * loop learns the outcome through a callback. The file must not change meanwhile: its size and
 * modification time are checked before and after; if they moved, the outcome says so.
 */
public final class AssetSender implements AutoCloseable {

    /** How one upload ended. */
    public sealed interface Result {
        /** The server has the file (already had it, when {@code sentBytes} is 0 and {@code alreadyStored}). */
        record Stored(boolean alreadyStored, long sentBytes) implements Result {
        }

        /** The file changed while it was read: it is not complete yet. */
        record Changed() implements Result {
        }

        /** The file vanished or cannot be read. */
        record Unreadable(String message, boolean vanished) implements Result {
        }

        /** Larger than the server stores. */
        record TooLarge(long size, long max) implements Result {
        }

        /** A call failed; what to do depends on the status. */
        record Failed(Status status) implements Result {
        }
    }

    private final IngestClient client;
    private final String experimentId;
    private final int chunkBytes;
    private final long maxAssetBytes;
    private final RateLimiter rate;
    private final long stallNanos;
    private volatile boolean closed;
    private volatile ClientCallStreamObserver<UploadAssetRequest> current;
    private Thread thread;

    /**
     * @param chunkBytes    data per chunk (the server's max_asset_chunk_bytes, within the message limit)
     * @param maxAssetBytes the server's max_asset_bytes, 0 when it announced none
     * @param stall         a stream that accepts nothing (or does not answer) this long is given up
     */
    public AssetSender(IngestClient client, String experimentId, int chunkBytes, long maxAssetBytes, RateLimiter rate,
                       Duration stall) {
        this.client = client;
        this.experimentId = experimentId;
        this.chunkBytes = chunkBytes;
        this.maxAssetBytes = maxAssetBytes;
        this.rate = rate;
        this.stallNanos = stall.toNanos();
    }

    /** Starts uploading on a new thread; {@code done} gets the outcome unless the sender was closed first. */
    public synchronized void start(DiscoveredAsset asset, Consumer<Result> done) {
        thread = Thread.ofVirtual().name("athanor-asset-sender").start(() -> {
            Result result;
            try {
                result = upload(asset);
            } catch (StatusRuntimeException e) {
                result = new Result.Failed(e.getStatus());
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                done.accept(result);
            }
        });
    }

    /** Cuts the upload in progress (the server keeps what it received). */
    @Override
    public synchronized void close() {
        closed = true;
        ClientCallStreamObserver<UploadAssetRequest> call = current;
        if (call != null) {
            call.cancel("upload session ended", null);
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    private Result upload(DiscoveredAsset asset) throws InterruptedException {
        Path file = asset.file();
        byte[] sha256;
        try {
            if (!unchanged(asset)) {
                return new Result.Changed();
            }
            if (maxAssetBytes > 0 && asset.size() > maxAssetBytes) {
                return new Result.TooLarge(asset.size(), maxAssetBytes);
            }
            sha256 = sha256(file, asset.size());
            if (sha256 == null || !unchanged(asset)) {
                return new Result.Changed();
            }
        } catch (NoSuchFileException e) {
            return new Result.Unreadable(file + " vanished before it was uploaded", true);
        } catch (IOException e) {
            return new Result.Unreadable(file + " cannot be read: " + e.getMessage(), false);
        }
        AssetHeader header = AssetHeader.newBuilder().setExperimentId(experimentId).setRunPath(asset.runPath())
                .setPath(asset.path()).setSize(asset.size()).setSha256(ByteString.copyFrom(sha256)).build();
        AssetState state = client.assetState(header);
        if (state.getState() == AssetState.State.STATE_COMPLETE) {
            return new Result.Stored(true, 0);
        }
        return stream(asset, header, state.getCommittedOffset());
    }

    private Result stream(DiscoveredAsset asset, AssetHeader header, long from) throws InterruptedException {
        Object ready = new Object();
        CompletableFuture<Status> answer = new CompletableFuture<>();
        client.openAssetUpload(new ClientResponseObserver<UploadAssetRequest, AssetState>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<UploadAssetRequest> requests) {
                current = requests;
                requests.setOnReadyHandler(() -> {
                    synchronized (ready) {
                        ready.notifyAll();
                    }
                });
            }

            @Override
            public void onNext(AssetState value) {
            }

            @Override
            public void onError(Throwable t) {
                answer.complete(Status.fromThrowable(t));
                wake(ready);
            }

            @Override
            public void onCompleted() {
                answer.complete(Status.OK);
                wake(ready);
            }
        });
        ClientCallStreamObserver<UploadAssetRequest> call = current;
        if (closed) {
            call.cancel("upload session ended", null);
            throw new InterruptedException();
        }
        call.onNext(UploadAssetRequest.newBuilder().setHeader(header).build());
        long sent = 0;
        try (FileChannel channel = FileChannel.open(asset.file(), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(chunkBytes, Math.max(1, asset.size() - from)));
            long offset = from;
            while (offset < asset.size()) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), asset.size() - offset));
                int n = channel.read(buffer, offset);
                if (n <= 0) {
                    call.cancel("file shrank", null);
                    return new Result.Changed();
                }
                buffer.flip();
                CRC32C crc = new CRC32C();
                crc.update(buffer.duplicate());
                AssetChunk chunk = AssetChunk.newBuilder().setOffset(offset).setData(ByteString.copyFrom(buffer))
                        .setCrc32C((int) crc.getValue()).build();
                Status early = awaitReady(call, ready, answer);
                if (early != null) {
                    return new Result.Failed(early);
                }
                long wait = rate.waitNanos();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                call.onNext(UploadAssetRequest.newBuilder().setChunk(chunk).build());
                rate.consume(n);
                offset += n;
                sent += n;
            }
            if (!unchanged(asset)) {
                call.cancel("file changed while it was sent", null);
                return new Result.Changed();
            }
        } catch (NoSuchFileException e) {
            call.cancel("file vanished", null);
            return new Result.Unreadable(asset.file() + " vanished while it was uploaded", true);
        } catch (IOException e) {
            call.cancel("file unreadable", null);
            return new Result.Unreadable(asset.file() + " cannot be read: " + e.getMessage(), false);
        }
        call.onCompleted();
        Status status;
        try {
            status = answer.get(stallNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel("no answer", null);
            return new Result.Failed(Status.DEADLINE_EXCEEDED.withDescription(
                    "no answer to the upload of " + asset.displayName() + " within " + stallNanos / 1_000_000_000 + " s"));
        } catch (ExecutionException e) {
            return new Result.Failed(Status.fromThrowable(e.getCause()));
        }
        return status.isOk() ? new Result.Stored(false, sent) : new Result.Failed(status);
    }

    /** Waits until the stream takes another message; a status when it ended or stalled instead. */
    private Status awaitReady(ClientCallStreamObserver<UploadAssetRequest> call, Object ready,
                              CompletableFuture<Status> answer) throws InterruptedException {
        long deadline = System.nanoTime() + stallNanos;
        synchronized (ready) {
            while (!call.isReady()) {
                if (answer.isDone()) {
                    Status status = answer.join();
                    return status.isOk() ? Status.INTERNAL.withDescription("the server ended the asset upload early")
                            : status;
                }
                if (closed) {
                    throw new InterruptedException();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    call.cancel("stalled", null);
                    return Status.DEADLINE_EXCEEDED.withDescription("the server took no asset data for "
                            + stallNanos / 1_000_000_000 + " s");
                }
                ready.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
            }
        }
        if (answer.isDone()) {
            Status status = answer.join();
            return status.isOk() ? Status.INTERNAL.withDescription("the server ended the asset upload early") : status;
        }
        return null;
    }

    private static void wake(Object ready) {
        synchronized (ready) {
            ready.notifyAll();
        }
    }

    /** True when the file still has the size and modification time the scan saw. */
    private static boolean unchanged(DiscoveredAsset asset) throws IOException {
        return Files.size(asset.file()) == asset.size()
                && Files.getLastModifiedTime(asset.file()).toMillis() == asset.modifiedMillis();
    }

    /** SHA-256 of the first {@code size} bytes; null when the file holds fewer. */
    private static byte[] sha256(Path file, long size) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        long left = size;
        try (InputStream in = Files.newInputStream(file)) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return null;
                }
                sha.update(buffer, 0, n);
                left -= n;
            }
        }
        return sha.digest();
    }
}
