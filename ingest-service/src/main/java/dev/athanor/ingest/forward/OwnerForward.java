package dev.athanor.ingest.forward;

import dev.athanor.ingest.ownership.LeaseHolder;
import dev.athanor.proto.ingest.v1.UploadRequest;
import dev.athanor.proto.ingest.v1.UploadResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One client stream's Upload call to the replica that owns some of its runs. Batches go out only
 * as fast as the owner's flow control allows ({@link #send} waits for the call to be ready), so a
 * slow owner stops the client stream's reads instead of filling this replica's memory. The owner's
 * acks go to the {@link Relay} as they come (one call keeps their order), and its end once.
 */
public final class OwnerForward implements ClientResponseObserver<UploadRequest, UploadResponse> {

    /** Where the owner's answers go: the client's stream. */
    public interface Relay {
        void ack(UploadResponse response);

        /**
         * The call ended: OK when the owner finished after our half-close, else its or the
         * transport's status, with the owner's trailers (empty if none).
         */
        void ended(OwnerForward forward, Status status, Metadata trailers);
    }

    private final LeaseHolder owner;
    private final Relay relay;
    private final Runnable onEnd;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readyOrEnded = lock.newCondition();
    private ClientCallStreamObserver<UploadRequest> requests; // guarded by lock
    private boolean ended;                                     // guarded by lock
    private boolean cancelled;                                 // guarded by lock: nothing more is sent
    private int unacked;                                       // guarded by lock

    OwnerForward(LeaseHolder owner, Relay relay, Runnable onEnd) {
        this.owner = owner;
        this.relay = relay;
        this.onEnd = onEnd;
    }

    public LeaseHolder owner() {
        return owner;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<UploadRequest> requestStream) {
        locked(() -> {
            requests = requestStream;
            requestStream.setOnReadyHandler(this::wake);
            return null;
        });
    }

    /**
     * Sends the batch once the owner can take it; blocks the (virtual) thread until then.
     *
     * @return false when the call ended first (its end went, or goes, to the relay)
     */
    public boolean send(UploadRequest request) throws InterruptedException {
        lock.lock();
        try {
            while (!ended && !cancelled && !requests.isReady()) {
                readyOrEnded.await();
            }
            if (ended || cancelled) {
                return false;
            }
            unacked++;
            requests.onNext(request);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The client sent everything: the owner finishes the call once it acknowledged what it got. */
    public void halfClose() {
        locked(() -> {
            if (!ended && !cancelled) {
                requests.onCompleted();
            }
            return null;
        });
    }

    /** The client's stream ended (cancelled, or failed): so does the call to the owner. */
    public void cancel(String why) {
        ClientCallStreamObserver<UploadRequest> call = locked(() -> {
            if (ended || cancelled) {
                return null;
            }
            cancelled = true;
            readyOrEnded.signalAll();
            return requests;
        });
        // Outside the lock: a cancel may report the end at once, and the relay takes the stream's lock.
        if (call != null) {
            call.cancel(why, null);
        }
    }

    public boolean isEnded() {
        return locked(() -> ended);
    }

    /** Batches sent to the owner and not acknowledged yet. */
    public int unacked() {
        return locked(() -> unacked);
    }

    @Override
    public void onNext(UploadResponse response) {
        locked(() -> unacked--);
        relay.ack(response);
    }

    @Override
    public void onError(Throwable t) {
        Metadata trailers = Status.trailersFromThrowable(t);
        end(Status.fromThrowable(t), trailers == null ? new Metadata() : trailers);
    }

    @Override
    public void onCompleted() {
        end(Status.OK, new Metadata());
    }

    private void end(Status status, Metadata trailers) {
        locked(() -> {
            ended = true;
            readyOrEnded.signalAll();
            return null;
        });
        onEnd.run();
        relay.ended(this, status, trailers);
    }

    private void wake() {
        locked(() -> {
            readyOrEnded.signalAll();
            return null;
        });
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
