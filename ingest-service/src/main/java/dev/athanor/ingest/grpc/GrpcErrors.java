package dev.athanor.ingest.grpc;

import dev.athanor.ingest.catalog.InvalidInputException;
import dev.athanor.ingest.catalog.NotFoundException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/** Maps what went wrong to the gRPC status a client can act on. */
final class GrpcErrors {

    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    static StatusRuntimeException toStatus(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return switch (e) {
            case StatusRuntimeException s -> s;
            case InvalidInputException i -> Status.INVALID_ARGUMENT.withDescription(i.getMessage()).asRuntimeException();
            case NotFoundException n -> Status.NOT_FOUND.withDescription(n.getMessage()).asRuntimeException();
            case SQLException s -> {
                LOG.warnf("index database error: %s", s.getMessage());
                yield Status.UNAVAILABLE.withDescription("the index database is unavailable: " + s.getMessage())
                        .withCause(s).asRuntimeException();
            }
            case IOException io -> {
                LOG.errorf(io, "raw log I/O error");
                yield Status.UNAVAILABLE.withDescription("raw log write failed: " + io.getMessage()).withCause(io)
                        .asRuntimeException();
            }
            default -> {
                LOG.error("unexpected error", e);
                yield Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).withCause(e).asRuntimeException();
            }
        };
    }
}
