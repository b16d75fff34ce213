package dev.athanor.testing.keycloak;

import java.net.URI;

/** Keycloak refused a token request; carries the HTTP status and the OAuth {@code error} it gave. */
public final class TokenRequestRefused extends RuntimeException {

    private final URI endpoint;
    private final int status;
    private final String error;
    private final String description;

    public TokenRequestRefused(URI endpoint, int status, String error, String description) {
        super(endpoint + " answered " + status + ": " + error + (description == null ? "" : " (" + description + ")"));
        this.endpoint = endpoint;
        this.status = status;
        this.error = error;
        this.description = description;
    }

    public URI endpoint() {
        return endpoint;
    }

    public int status() {
        return status;
    }

    /** The OAuth error code, e.g. {@code unauthorized_client}, {@code invalid_grant}; null if none. */
    public String error() {
        return error;
    }

    public String description() {
        return description;
    }
}
