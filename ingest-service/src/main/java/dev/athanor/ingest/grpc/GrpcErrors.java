package dev.athanor.ingest.grpc;

import dev.athanor.ingest.assets.AssetBusyException;
import dev.athanor.ingest.assets.AssetChecksumException;
import dev.athanor.ingest.catalog.ConflictException;
import dev.athanor.ingest.catalog.PreconditionException;
import dev.athanor.auth.AccessDeniedException;
import dev.athanor.ingest.catalog.InvalidInputException;
import dev.athanor.ingest.catalog.NotFoundException;
import dev.athanor.ingest.forward.CallOrigin;
import dev.athanor.ingest.health.OutOfDescriptorsException;
import dev.athanor.ingest.ownership.FencedException;
import dev.athanor.ingest.ownership.LeaseRefusedException;
import dev.athanor.ingest.upload.DrainingException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/** Maps what went wrong to the gRPC status a client can act on. */
final class GrpcErrors {

    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    private static String incident() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** UNAVAILABLE naming the run's owner, with its address as an advisory trailer (athanor-owner-address). */
    static StatusRuntimeException ownedElsewhere(LeaseRefusedException refused, String what) {
        return unavailable(refused.holder().ownerAddress(), refused.getMessage() + "; " + what);
    }

    /** UNAVAILABLE (the client retries) with the advisory owner hint trailer. */
    static StatusRuntimeException unavailable(String ownerHint, String description) {
        Metadata trailers = new Metadata();
        trailers.put(CallOrigin.OWNER_ADDRESS, ownerHint);
        return Status.UNAVAILABLE.withDescription(description).asRuntimeException(trailers);
    }

    /** The same status with {@code prefix} before its description, keeping its trailers. */
    static StatusRuntimeException prefixed(StatusRuntimeException status, String prefix) {
        return status.getStatus().withDescription(prefix + status.getStatus().getDescription())
                .asRuntimeException(status.getTrailers());
    }

    static StatusRuntimeException toStatus(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return switch (e) {
            case StatusRuntimeException s -> s;
            case InvalidInputException i -> Status.INVALID_ARGUMENT.withDescription(i.getMessage()).asRuntimeException();
            case AssetChecksumException a -> Status.DATA_LOSS.withDescription(a.getMessage()).asRuntimeException();
            case AssetBusyException a -> Status.ABORTED.withDescription(a.getMessage()).asRuntimeException();
            case PreconditionException p -> Status.FAILED_PRECONDITION.withDescription(p.getMessage()).asRuntimeException();
            case ConflictException c -> Status.ALREADY_EXISTS.withDescription(c.getMessage()).asRuntimeException();
            case NotFoundException n -> Status.NOT_FOUND.withDescription(n.getMessage()).asRuntimeException();
            case AccessDeniedException a -> Status.PERMISSION_DENIED.withDescription(a.getMessage()).asRuntimeException();
            // Near the open-file limit: retryable once idle runs and connections gave theirs back.
            case OutOfDescriptorsException o -> Status.RESOURCE_EXHAUSTED.withDescription(o.getMessage()).asRuntimeException();
            // This replica is shutting down: the retry reaches another one, which takes the run over.
            case DrainingException d -> Status.UNAVAILABLE.withDescription(d.getMessage()).asRuntimeException();
            // The run is written by another replica and this call may not be forwarded there (see
            // UploadStream): retryable, by then the lease table names the right owner.
            case LeaseRefusedException r -> ownedElsewhere(r, "retry");
            case FencedException f -> Status.UNAVAILABLE.withDescription(
                    "the run moved to another ingest replica before this batch was durable; retry").asRuntimeException();
            // Clients get a sentence and an incident id; the details (SQL, file paths) stay in the log.
            case SQLException s -> {
                String incident = incident();
                LOG.warnf(s, "incident %s: index database error", incident);
                yield Status.UNAVAILABLE.withDescription(
                        "the index database is unavailable; retry later (incident " + incident + ")")
                        .withCause(s).asRuntimeException();
            }
            case IOException io -> {
                String incident = incident();
                LOG.errorf(io, "incident %s: raw log I/O error", incident);
                yield Status.UNAVAILABLE.withDescription(
                        "the raw log could not be written; retry later (incident " + incident + ")")
                        .withCause(io).asRuntimeException();
            }
            default -> {
                String incident = incident();
                LOG.errorf(e, "incident %s: unexpected error", incident);
                yield Status.INTERNAL.withDescription("internal error (incident " + incident + ")")
                        .withCause(e).asRuntimeException();
            }
        };
    }
}
