package dev.athanor.uploader.auth;

import java.io.IOException;
import java.net.URI;

/**
 * The token endpoint answered with an OAuth error (RFC 6749, section 5.2): wrong client secret
 * ({@code invalid_client}), a grant the client may not use ({@code unauthorized_client}), an
 * expired device code ({@code expired_token}), ... The message names the endpoint, the HTTP status,
 * the error code and the server's description; never a secret or a token.
 */
public final class TokenRequestRefused extends IOException {

    private static final long serialVersionUID = 1L;

    private final URI endpoint;
    private final int httpStatus;
    private final String error;
    private final String description;

    public TokenRequestRefused(URI endpoint, int httpStatus, String error, String description) {
        this(endpoint, httpStatus, error, description, null);
    }

    private TokenRequestRefused(URI endpoint, int httpStatus, String error, String description, String advice) {
        super(endpoint + " refused the request (HTTP " + httpStatus + " " + error
                + (description == null || description.isBlank() ? "" : ": " + description) + ")"
                + (advice == null ? "" : "; " + advice));
        this.endpoint = endpoint;
        this.httpStatus = httpStatus;
        this.error = error;
        this.description = description;
    }

    /** The same refusal with what to do about it added to the message. */
    public TokenRequestRefused withAdvice(String advice) {
        TokenRequestRefused copy = new TokenRequestRefused(endpoint, httpStatus, error, description, advice);
        copy.initCause(this);
        return copy;
    }

    public URI endpoint() {
        return endpoint;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The OAuth error code, e.g. {@code invalid_client}, {@code authorization_pending}. */
    public String error() {
        return error;
    }

    /** The server's {@code error_description}, or null. */
    public String description() {
        return description;
    }
}
