package dev.athanor.uploader.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * What a token endpoint issued. {@code toString()} leaves the tokens out, so an instance can be
 * logged or put in an exception message.
 *
 * @param accessToken      the bearer token
 * @param issuedAt         when it was received (local clock)
 * @param expiresAt        when it stops being valid, from {@code expires_in}; null when the server did not say
 * @param refreshToken     a refresh token, or null (the client-credentials grant has none)
 * @param refreshExpiresAt when the refresh token stops being valid (Keycloak's {@code refresh_expires_in};
 *                         null when not said or when it lives as long as the session)
 */
public record IssuedTokens(String accessToken, Instant issuedAt, Instant expiresAt, String refreshToken,
                           Instant refreshExpiresAt) {

    /** Without {@code expires_in}, how long an access token is assumed to live. */
    static final Duration ASSUMED_LIFETIME = Duration.ofSeconds(60);

    /**
     * When to fetch a new access token: after three quarters of its lifetime, so that a token is
     * never sent in its last quarter (clock skew, a slow call).
     */
    public Instant renewAt() {
        Instant end = expiresAt != null ? expiresAt : issuedAt.plus(ASSUMED_LIFETIME);
        Duration lifetime = Duration.between(issuedAt, end);
        return issuedAt.plus(lifetime.multipliedBy(3).dividedBy(4));
    }

    @Override
    public String toString() {
        return "IssuedTokens[issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + ", refreshToken="
                + (refreshToken == null ? "none" : "present") + ", refreshExpiresAt=" + refreshExpiresAt + "]";
    }
}
