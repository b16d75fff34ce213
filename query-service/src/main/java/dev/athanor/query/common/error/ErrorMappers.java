package dev.athanor.query.common.error;

import dev.athanor.auth.AccessDeniedException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.athanor.query.archive.store.RestoreStatus;
import dev.athanor.query.archive.store.RestoringException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps exceptions to JSON {@link ApiError} bodies. Clients get a status, a code and a sentence;
 * stack traces go to the log only, tied to the response by an incident id.
 */
public final class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    /** A restore from S3 Glacier takes minutes (Expedited) to hours: clients need not ask more often. */
    private static final int RESTORE_RETRY_SECONDS = 60;

    /** PostgreSQL: invalid_regular_expression. */
    private static final String SQLSTATE_BAD_REGEX = "2201B";
    /** PostgreSQL: query_canceled (statement_timeout). */
    private static final String SQLSTATE_CANCELED = "57014";

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return json(ApiError.of(404, "NOT_FOUND", e.getMessage(), e.where()));
    }

    @ServerExceptionMapper
    public Response denied(AccessDeniedException e) {
        return json(ApiError.of(403, "PERMISSION_DENIED", e.getMessage(), "project"));
    }

    @ServerExceptionMapper
    public Response badInput(BadInputException e) {
        return json(new ApiError(400, "BAD_REQUEST", e.getMessage(), e.where(), e.column(), e.expected()));
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return json(ApiError.of(409, "CONFLICT", e.getMessage(), e.where()));
    }

    // The specific Jackson types are mapped explicitly: Quarkus ships its own mappers for some of them.
    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        String where = "body";
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            where = "body." + mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
        }
        String message = "request body is not valid: " + e.getOriginalMessage();
        if (e.getLocation() != null) {
            message += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return json(ApiError.of(400, "BAD_REQUEST", message, where));
    }

    @ServerExceptionMapper
    public Response unavailable(RawDataUnavailableException e) {
        return json(ApiError.of(503, "RAW_DATA_UNAVAILABLE", e.getMessage(), null));
    }

    /** Body of a read that waits for a restore: the usual error fields plus where the restore stands. */
    public record RestoringError(int status, String error, String message, RestoreStatus restore) {
    }

    @ServerExceptionMapper
    public Response restoring(RestoringException e) {
        RestoreStatus restore = e.status();
        boolean failed = restore.state().equals("FAILED");
        int status = failed ? 503 : 409;
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new RestoringError(status, failed ? "RESTORE_FAILED" : "RESTORING", e.getMessage(), restore));
        return (failed ? response : response.header("Retry-After", RESTORE_RETRY_SECONDS)).build();
    }

    @ServerExceptionMapper
    public Response corruptRaw(CorruptRawDataException e) {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "incident %s: %s", incident, e.getMessage());
        return json(ApiError.of(500, "RAW_DATA_CORRUPT", e.getMessage() + " (incident " + incident + ")", null));
    }

    @ServerExceptionMapper
    public Response sql(SQLException e) {
        if (SQLSTATE_BAD_REGEX.equals(e.getSQLState())) {
            return json(ApiError.of(400, "BAD_REQUEST",
                    "invalid regular expression in the filter: " + firstLine(e.getMessage()), "filter"));
        }
        if (SQLSTATE_CANCELED.equals(e.getSQLState())) {
            return json(ApiError.of(503, "TIMEOUT",
                    "the query ran longer than the statement timeout; narrow the selection", null));
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException json) {
                return unreadableJson(json);
            }
        }
        int status = e.getResponse().getStatus();
        String code = status == 404 ? "NOT_FOUND" : status == 405 ? "METHOD_NOT_ALLOWED"
                : status == 406 ? "NOT_ACCEPTABLE" : status == 415 ? "UNSUPPORTED_MEDIA_TYPE" : "HTTP_" + status;
        return json(ApiError.of(status, code, e.getMessage(), null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        // Unwrap database errors that arrive wrapped (for example from a streaming body).
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && !(e instanceof SQLException)) {
                return sql(sql);
            }
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "incident %s: unexpected error", incident);
        return json(ApiError.of(500, "INTERNAL", "unexpected server error (incident " + incident + ")", null));
    }

    private static Response json(ApiError error) {
        return Response.status(error.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
