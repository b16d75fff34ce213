package dev.athanor.ingest.grpc;

import dev.athanor.ingest.flow.IndexLagGate;
import dev.athanor.ingest.rawlog.AppendResult;
import dev.athanor.ingest.upload.BatchWriter;
import dev.athanor.proto.ingest.v1.BatchAck;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.proto.ingest.v1.UploadRequest;
import dev.athanor.proto.ingest.v1.UploadResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.LinkedBlockingQueue;
import org.jboss.logging.Logger;

/**
 * One Upload call. Batches are handled in arrival order on the stream's own virtual thread (the
 * catalog may need PostgreSQL, the append writes a file); acknowledgements go out when the group
 * commit made the batch durable.
 *
 * <p>Flow control is manual: the stream asks gRPC for {@code maxInflight} messages up front and
 * for one more each time an acknowledgement is sent, and only while the index lag is within its
 * bound. So a client has at most {@code maxInflight} unacknowledged batches in server memory, and
 * when the index falls behind, the server stops reading and acknowledgements stop.
 */
final class UploadStream implements StreamObserver<UploadRequest> {

    private static final Logger LOG = Logger.getLogger(UploadStream.class);
    private static final UploadRequest END = UploadRequest.getDefaultInstance();

    private final ServerCallStreamObserver<UploadResponse> responses;
    private final BatchWriter writer;
    private final IndexLagGate gate;
    private final UploadPermissions permissions;
    private final LinkedBlockingQueue<UploadRequest> queue = new LinkedBlockingQueue<>();
    private int inflight;        // guarded by responses
    private boolean clientDone;  // guarded by responses
    private boolean finished;    // guarded by responses

    UploadStream(ServerCallStreamObserver<UploadResponse> responses, BatchWriter writer, IndexLagGate gate,
                 int maxInflight, UploadPermissions permissions) {
        this.responses = responses;
        this.permissions = permissions;
        this.writer = writer;
        this.gate = gate;
        responses.disableAutoRequest();
        responses.setOnCancelHandler(() -> {
            synchronized (responses) {
                finished = true;
            }
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
                        clientDone = true;
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
                handle(request.getBatch());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(RecordBatch batch) {
        AppendResult result;
        try {
            permissions.check(batch);
            result = writer.write(batch);
        } catch (Exception e) {
            StatusRuntimeException status = GrpcErrors.toStatus(e);
            fail(Status.fromCode(status.getStatus().getCode())
                    .withDescription("batch " + batch.getBatchId() + ": " + status.getStatus().getDescription())
                    .asRuntimeException());
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

    private void acknowledge(RecordBatch batch, AppendResult result, long committed) {
        UploadResponse ack = UploadResponse.newBuilder().setAck(BatchAck.newBuilder()
                .setBatchId(batch.getBatchId())
                .setRunPath(batch.getRunPath())
                .setFileName(batch.getFileName())
                .setCommittedOffset(committed)
                .setRecordsAccepted(result.accepted())
                .setRecordsDuplicate(result.duplicates())).build();
        synchronized (responses) {
            inflight--;
            if (finished) {
                return;
            }
            try {
                responses.onNext(ack);
            } catch (RuntimeException e) {
                LOG.debugf("ack for batch %d not delivered: %s", batch.getBatchId(), e.getMessage());
                finished = true;
                return;
            }
            completeIfDone();
        }
        gate.whenOpen(this::requestOne);
    }

    private void requestOne() {
        synchronized (responses) {
            if (!finished && !responses.isCancelled()) {
                responses.request(1);
            }
        }
    }

    private void completeIfDone() {
        if (clientDone && inflight == 0 && !finished) {
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
    }
}
