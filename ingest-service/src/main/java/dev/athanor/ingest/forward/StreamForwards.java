package dev.athanor.ingest.forward;

import dev.athanor.ingest.ownership.LeaseHolder;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.proto.ingest.v1.UploadRequest;
import io.grpc.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The forward calls of one client Upload stream: which of its runs go to which owner, one call per
 * owner address, opened on the first batch for it. A run's route is fixed for the stream's life,
 * so all batches of a file take one path and their acks keep their order. Routing is used from
 * the stream's own thread; half-close and cancel from any.
 */
public final class StreamForwards {

    private final Forwarding forwarding;
    private final Context clientCall;
    private final CallOrigin origin;
    private final OwnerForward.Relay relay;
    private final Map<String, OwnerForward> byRun = new HashMap<>();
    private final Map<String, OwnerForward> byAddress = new HashMap<>();
    private final List<OwnerForward> calls = new CopyOnWriteArrayList<>();

    StreamForwards(Forwarding forwarding, Context clientCall, CallOrigin origin, OwnerForward.Relay relay) {
        this.forwarding = forwarding;
        this.clientCall = clientCall;
        this.origin = origin;
        this.relay = relay;
    }

    /** The call the batch's run is forwarded on, or null when its batches are written here (or not seen yet). */
    public OwnerForward of(RecordBatch batch) {
        return byRun.get(run(batch));
    }

    /** A call that came from another replica is never forwarded again: at most one hop, no loops. */
    public boolean mayForward() {
        return !origin.forwarded();
    }

    /** The node that forwarded this stream here, or null. */
    public String forwardedFrom() {
        return origin.forwardedFrom();
    }

    /** Routes the batch's run, for the rest of the stream, to its owner's call (opened if needed). */
    public OwnerForward route(RecordBatch batch, LeaseHolder owner) {
        OwnerForward call = byAddress.computeIfAbsent(owner.ownerAddress(), address -> {
            OwnerForward opened = forwarding.open(owner, clientCall, origin, relay);
            calls.add(opened);
            return opened;
        });
        byRun.put(run(batch), call);
        return call;
    }

    /** Sends on the call; false when it ended first. Counted as forwarded once handed to the owner's call. */
    public boolean send(OwnerForward call, UploadRequest request) throws InterruptedException {
        boolean sent = call.send(request);
        if (sent) {
            forwarding.sent();
        }
        return sent;
    }

    public boolean allEnded() {
        return calls.stream().allMatch(OwnerForward::isEnded);
    }

    public void halfCloseAll() {
        calls.forEach(OwnerForward::halfClose);
    }

    public void cancelAll(String why) {
        calls.forEach(call -> call.cancel(why));
    }

    private static String run(RecordBatch batch) {
        return batch.getExperimentId() + "\n" + batch.getRunPath();
    }
}
