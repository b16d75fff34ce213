package dev.athanor.query.dataprovider.api;

import dev.athanor.auth.AccessDeniedException;
import dev.athanor.query.archive.store.RestoringException;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.error.CorruptRawDataException;
import dev.athanor.query.common.error.NotFoundException;
import dev.athanor.query.common.error.RawDataUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.SQLException;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The gRPC status of a failed data-provider call, matching REST's answers: 404 → NOT_FOUND, 400 →
 * INVALID_ARGUMENT (the message names the field), 403 → PERMISSION_DENIED, 503 → UNAVAILABLE,
 * a corrupt record → DATA_LOSS. TensorBoard shows the first three to the user as they are.
 * Anything unexpected is INTERNAL with an incident id; the stack trace goes to the log only.
 */
final class GrpcStatuses {

    private static final Logger LOG = Logger.getLogger(GrpcStatuses.class);
    /** PostgreSQL: query_canceled (statement_timeout). */
    private static final String SQLSTATE_CANCELED = "57014";

    private GrpcStatuses() {
    }

    static StatusRuntimeException of(String method, Throwable e) {
        return switch (e) {
            case StatusRuntimeException s -> s;
            case NotFoundException n -> Status.NOT_FOUND.withDescription(n.getMessage()).asRuntimeException();
            case BadInputException b -> Status.INVALID_ARGUMENT.withDescription(b.getMessage()).asRuntimeException();
            case AccessDeniedException d -> Status.PERMISSION_DENIED.withDescription(d.getMessage()).asRuntimeException();
            case RawDataUnavailableException u -> Status.UNAVAILABLE.withDescription(u.getMessage()).asRuntimeException();
            case RestoringException r -> Status.UNAVAILABLE.withDescription(r.getMessage()).asRuntimeException();
            case CorruptRawDataException c -> incident(Status.DATA_LOSS, method, c);
            default -> timeout(e) ? Status.UNAVAILABLE.withDescription(
                    "the query ran longer than the statement timeout; ask for fewer runs or tags").asRuntimeException()
                    : incident(Status.INTERNAL, method, e);
        };
    }

    private static boolean timeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && SQLSTATE_CANCELED.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static StatusRuntimeException incident(Status status, String method, Throwable e) {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "incident %s: %s failed", incident, method);
        String message = status == Status.DATA_LOSS ? e.getMessage() + " (incident " + incident + ")"
                : method + " failed on the server (incident " + incident + ")";
        return status.withDescription(message).asRuntimeException();
    }
}
