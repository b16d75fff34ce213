package dev.athanor.cli.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One person's login to one Athanor server, as kept in the login store. {@code toString()}
 * leaves the tokens out.
 *
 * @param issuer           the realm that issued the tokens
 * @param clientId         the public client of the device grant ({@code athanor-cli})
 * @param username         {@code preferred_username} of the access token, for messages
 * @param accessToken      the bearer token
 * @param accessExpiresAt  when it expires
 * @param refreshToken     the refresh token, or null
 * @param refreshExpiresAt when the refresh token expires, or null when not said
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredLogin(String issuer, String clientId, String username, String accessToken,
                          Instant accessExpiresAt, String refreshToken, Instant refreshExpiresAt) {

    @Override
    public String toString() {
        return "StoredLogin[" + username + " at " + issuer + " via " + clientId + ", access until " + accessExpiresAt
                + ", refresh " + (refreshToken == null ? "none" : "until " + refreshExpiresAt) + "]";
    }
}
