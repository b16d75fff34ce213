package dev.athanor.uploader.auth;

import java.io.IOException;

/**
 * The authorization server could not be asked or answered with something unusable (connection
 * refused, timeout, HTTP 5xx, a discovery document that is not one). Worth retrying later.
 */
public final class AuthorizationServerUnavailable extends IOException {

    private static final long serialVersionUID = 1L;

    public AuthorizationServerUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
