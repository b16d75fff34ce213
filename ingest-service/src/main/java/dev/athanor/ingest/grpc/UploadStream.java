package dev.athanor.ingest.grpc;

import dev.athanor.ingest.flow.IndexLagGate;
import dev.athanor.ingest.forward.CallOrigin;
import dev.athanor.ingest.forward.Forwarding;
import dev.athanor.ingest.forward.OwnerForward;
import dev.athanor.ingest.forward.StreamForwards;
import dev.athanor.ingest.ownership.LeaseHolder;
import dev.athanor.ingest.ownership.LeaseRefusedException;
import dev.athanor.ingest.rawlog.AppendResult;
import dev.athanor.ingest.upload.BatchWriter;
import dev.athanor.proto.ingest.v1.BatchAck;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.proto.ingest.v1.UploadRequest;
import dev.athanor.proto.ingest.v1.UploadResponse;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import org.jboss.logging.Logger;

/**
 * One Upload call. Batches are handled in arrival order on the stream's own virtual thread (the
 * catalog may need PostgreSQL, the append writes a file); acknowledgements go out when the group
 * commit made the batch durable.
 *
 * <p>A batch of a run another live replica owns is forwarded to that owner on one Upload call per
 * owner ({@link StreamForwards}), and the owner's acks are relayed back on this stream. A run that
 * was written here earlier in the stream is not switched over (its acks would interleave): the
 * stream fails UNAVAILABLE and the client's retry is routed afresh.
 *
 * <p>A run's first batch costs several PostgreSQL round trips (its row, its lease, where other
 * replicas left its files) and its journal's creation. So that a stream carrying many new runs
 * (a sweep of thousands) does not pay them one after another, the runs of batches still queued
 * are prepared ahead, up to {@link #PREPARE_AHEAD} at once, while earlier batches are appended; the
 * appends themselves stay in arrival order. A preparation that fails is forgotten: the batch's own
 * turn does the work again and fails as it would have. Preparing never creates a run (only runs
 * that exist, e.g. by CreateRun, are prepared; see {@link BatchWriter#prepare}): a stream that
 * fails before a batch's turn leaves no empty run behind.
 *
 * <p>Flow control is manual: the stream asks gRPC for {@code maxInflight} messages up front and
 * for one more each time an acknowledgement is sent (local or relayed), and only while the index
 * lag is within its bound. So a client has at most {@code maxInflight} unacknowledged batches in
 * server memory, and when the index or an owner falls behind, the server stops reading and
 * acknowledgements stop.
 */
final class UploadStream implements StreamObserver<UploadRequest>, OwnerForward.Relay {

    private static final Logger LOG = Logger.getLogger(UploadStream.class);
    private static final UploadRequest END = UploadRequest.getDefaultInstance();
    /** New runs of queued batches prepared at once, ahead of their turn. */
    static final int PREPARE_AHEAD = 8;

    private final ServerCallStreamObserver<UploadResponse> responses;
    private final BatchWriter writer;
    private final IndexLagGate gate;
    private final UploadPermissions permissions;
    private final StreamForwards forwards;
    private final Set<String> localRuns = new HashSet<>(); // drain thread only
    /** Runs of queued batches being prepared ahead (drain thread only): see {@link #prepareAhead}. */
    private final Map<String, CompletableFuture<Void>> preparing = new HashMap<>();
    private final LinkedBlockingQueue<UploadRequest> queue = new LinkedBlockingQueue<>();
    private int inflight;        // guarded by responses
    private boolean clientDone;  // guarded by responses
    private boolean finished;    // guarded by responses

    UploadStream(ServerCallStreamObserver<UploadResponse> responses, BatchWriter writer, IndexLagGate gate,
                 int maxInflight, UploadPermissions permissions, Forwarding forwarding) {
        this.responses = responses;
        this.permissions = permissions;
        this.writer = writer;
        this.gate = gate;
        // Captured on the call's thread: forwards start in the client call's context (deadline, cancellation).
        this.forwards = forwarding.forStream(Context.current(), CallOrigin.current(), this);
        responses.disableAutoRequest();
        responses.setOnCancelHandler(() -> {
            synchronized (responses) {
                finished = true;
            }
            forwards.cancelAll("the client cancelled its stream");
            queue.add(END);
        });
        Thread.ofVirtual().name("athanor-upload").start(this::drain);
        gate.whenOpen(() -> responses.request(maxInflight));
    }

    @Override
    public void onNext(UploadRequest request) {
        queue.add(request);
    }

    @Override
    public void onError(Throwable t) {
        synchronized (responses) {
            finished = true;
        }
        forwards.cancelAll("the client's stream failed");
        queue.add(END);
    }

    @Override
    public void onCompleted() {
        queue.add(END);
    }

    private void drain() {
        try {
            while (true) {
                UploadRequest request = queue.take();
                if (request == END) {
                    synchronized (responses) {
                        clientDone = true; // before the half-close: an owner may finish at once
                    }
                    forwards.halfCloseAll();
                    synchronized (responses) {
                        completeIfDone();
                    }
                    return;
                }
                if (isFinished()) {
                    continue;
                }
                if (!request.hasBatch()) {
                    fail(Status.INVALID_ARGUMENT.withDescription("request: UploadRequest carries no batch")
                            .asRuntimeException());
                    continue;
                }
                prepareAhead();
                awaitPrepared(request.getBatch());
                handle(request);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(UploadRequest request) throws InterruptedException {
        RecordBatch batch = request.getBatch();
        AppendResult result;
        try {
            permissions.check(batch);
            OwnerForward forward = forwards.of(batch);
            if (forward != null) {
                forward(forward, request);
                return;
            }
            try {
                result = writer.write(batch);
                localRuns.add(runOf(batch));
            } catch (LeaseRefusedException refused) {
                if (!forwards.mayForward()) {
                    throw GrpcErrors.ownedElsewhere(refused, "this call was forwarded by ingest replica "
                            + forwards.forwardedFrom() + " and is not forwarded again; retry");
                }
                if (localRuns.contains(runOf(batch))) {
                    throw refused; // written here earlier in this stream: UNAVAILABLE, the retry is routed afresh
                }
                forward(forwards.route(batch, refused.holder()), request);
                return;
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            fail(GrpcErrors.prefixed(GrpcErrors.toStatus(e), "batch " + batch.getBatchId() + ": "));
            return;
        }
        synchronized (responses) {
            inflight++;
        }
        result.durable().whenComplete((committed, error) -> {
            if (error != null) {
                fail(GrpcErrors.toStatus(error));
                return;
            }
            acknowledge(batch, result, committed);
        });
    }

    /** Starts preparing the new runs of queued batches this replica writes, up to {@link #PREPARE_AHEAD} at once. */
    private void prepareAhead() {
        preparing.values().removeIf(CompletableFuture::isDone);
        Iterator<UploadRequest> queued = queue.iterator();  // weakly consistent: a glance is enough
        while (preparing.size() < PREPARE_AHEAD && queued.hasNext()) {
            UploadRequest next = queued.next();
            if (next == END || !next.hasBatch()) {
                continue;
            }
            RecordBatch batch = next.getBatch();
            String run = runOf(batch);
            if (localRuns.contains(run) || preparing.containsKey(run) || forwards.of(batch) != null) {
                continue;
            }
            try {
                permissions.check(batch);  // never prepared for a caller who may not write it
            } catch (Exception refused) {
                continue;  // its turn refuses it
            }
            preparing.put(run, CompletableFuture.runAsync(() -> {
                try {
                    writer.prepare(batch);
                } catch (Exception e) {
                    LOG.debugf("preparing run %s ahead: %s (its batch's turn tries again)", batch.getRunPath(),
                            e.getMessage());
                }
            }, runnable -> Thread.ofVirtual().name("athanor-upload-prepare").start(runnable)));
        }
    }

    /** A batch whose run is being prepared waits for that (the append must not race its run's opening). */
    private void awaitPrepared(RecordBatch batch) throws InterruptedException {
        CompletableFuture<Void> prepared = preparing.get(runOf(batch));
        if (prepared == null) {
            return;
        }
        try {
            prepared.get();
        } catch (java.util.concurrent.ExecutionException e) {
            // Failures are logged by the preparation and met again by the batch's own turn.
        }
    }

    private static String runOf(RecordBatch batch) {
        return batch.getExperimentId() + "\n" + batch.getRunPath();
    }

    /** Hands the batch to its owner's call (waiting for the owner's flow control); its ack is relayed. */
    private void forward(OwnerForward forward, UploadRequest request) throws InterruptedException {
        synchronized (responses) {
            inflight++;
        }
        if (!forwards.send(forward, request)) {
            // The call ended before it took the batch; its end fails (or failed) this stream.
            synchronized (responses) {
                inflight--;
            }
        }
    }

    private void acknowledge(RecordBatch batch, AppendResult result, long committed) {
        UploadResponse ack = UploadResponse.newBuilder().setAck(BatchAck.newBuilder()
                .setBatchId(batch.getBatchId())
                .setRunPath(batch.getRunPath())
                .setFileName(batch.getFileName())
                .setCommittedOffset(committed)
                .setRecordsAccepted(result.accepted())
                .setRecordsDuplicate(result.duplicates())).build();
        if (send(ack)) {
            gate.whenOpen(this::requestOne);
        }
    }

    /** An ack from an owner: the client's batch id, the owner's offsets. */
    @Override
    public void ack(UploadResponse response) {
        if (send(response)) {
            // Not gated on this replica's index lag: a forwarded batch adds nothing to it.
            requestOne();
        }
    }

    @Override
    public void ended(OwnerForward forward, Status status, Metadata trailers) {
        LeaseHolder owner = forward.owner();
        // A replica that is no longer the owner may know the new one: pass its hint on.
        String hint = trailers.containsKey(CallOrigin.OWNER_ADDRESS) ? trailers.get(CallOrigin.OWNER_ADDRESS)
                : owner.ownerAddress();
        String who = "ingest replica " + owner.owner() + " (" + owner.ownerAddress() + "), owner of run "
                + owner.runId() + ", ";
        if (status.isOk()) {
            int unacked = forward.unacked();
            synchronized (responses) {
                if (clientDone && unacked == 0) {
                    completeIfDone();
                    return;
                }
            }
            fail(GrpcErrors.unavailable(hint, who + "ended the forwarded stream with " + unacked
                    + " batches unacknowledged; retry"));
            return;
        }
        Status.Code code = status.getCode();
        if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
                || code == Status.Code.CANCELLED) {
            // Unreachable (refused, timed out), refusing, or going away (the client did not cancel:
            // this stream would be finished): the client's uploader retries UNAVAILABLE.
            fail(GrpcErrors.unavailable(hint, "forwarding to " + who + "failed: " + code + " " + status.getDescription()
                    + "; retry"));
        } else {
            fail(Status.fromCode(code).withDescription("from " + who + "to which this batch was forwarded: "
                    + status.getDescription()).asRuntimeException());
        }
    }

    /** Sends one ack to the client; false when the stream is over. */
    private boolean send(UploadResponse ack) {
        synchronized (responses) {
            inflight--;
            if (finished) {
                return false;
            }
            try {
                responses.onNext(ack);
            } catch (RuntimeException e) {
                LOG.debugf("ack for batch %d not delivered: %s", ack.getAck().getBatchId(), e.getMessage());
                finished = true;
                return false;
            }
            completeIfDone();
            return true;
        }
    }

    private void requestOne() {
        synchronized (responses) {
            if (!finished && !responses.isCancelled()) {
                responses.request(1);
            }
        }
    }

    private void completeIfDone() {
        if (clientDone && inflight == 0 && !finished && forwards.allEnded()) {
            finished = true;
            responses.onCompleted();
        }
    }

    private boolean isFinished() {
        synchronized (responses) {
            return finished;
        }
    }

    private void fail(StatusRuntimeException status) {
        synchronized (responses) {
            if (finished) {
                return;
            }
            finished = true;
            try {
                responses.onError(status);
            } catch (RuntimeException e) {
                LOG.debugf("error not delivered: %s", e.getMessage());
            }
        }
        forwards.cancelAll("the client's stream ended: " + status.getStatus().getCode());
    }
}
