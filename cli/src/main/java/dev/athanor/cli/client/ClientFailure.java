package dev.athanor.cli.client;

/**
 * A request to the query service that could not be done: the server was unreachable, refused the
 * request, or answered with something that is not Athanor's API. Carries what a person needs to
 * fix it: a sentence, and for expressions the parameter and 1-based column the server named.
 */
public final class ClientFailure extends RuntimeException {

    /** What went wrong, broadly; every kind is exit code 2 for the CLI. */
    public enum Kind {
        /** Connection refused, unknown host, timeout, TLS failure. */
        UNREACHABLE,
        /** HTTP 404: something the request names does not exist. */
        NOT_FOUND,
        /** HTTP 400: a malformed parameter or expression. */
        BAD_REQUEST,
        /** HTTP 401/403: credentials missing or refused. */
        UNAUTHORIZED,
        /** HTTP 5xx: the server failed. */
        SERVER_ERROR,
        /** The answer is not what Athanor's API sends (not JSON, wrong shape, another service). */
        BAD_RESPONSE,
        /** The options are unusable before anything is sent. */
        USAGE
    }

    private static final long serialVersionUID = 1L;

    private final Kind kind;
    private final int status;
    private final String where;
    private final Integer column;

    public ClientFailure(Kind kind, String message) {
        this(kind, 0, message, null, null, null);
    }

    public ClientFailure(Kind kind, int status, String message, String where, Integer column, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.where = where;
        this.column = column;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when there was no HTTP answer. */
    public int status() {
        return status;
    }

    /** The parameter or body field the server blamed (e.g. {@code filter}, {@code assertions[1]}), or null. */
    public String where() {
        return where;
    }

    /** The 1-based column inside the expression named by {@link #where()}, or null. */
    public Integer column() {
        return column;
    }
}
