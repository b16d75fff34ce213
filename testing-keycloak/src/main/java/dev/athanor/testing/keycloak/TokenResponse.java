package dev.athanor.testing.keycloak;

import com.fasterxml.jackson.databind.JsonNode;

/** A token endpoint's successful answer. {@link #claims()} decodes the access token. */
public record TokenResponse(String accessToken, String tokenType, long expiresInSeconds, String refreshToken,
                            String idToken, String scope) {

    static TokenResponse from(JsonNode json) {
        String accessToken = json.path("access_token").asText(null);
        if (accessToken == null) {
            throw new IllegalStateException("token response without access_token: " + json);
        }
        return new TokenResponse(accessToken, json.path("token_type").asText(null), json.path("expires_in").asLong(),
                json.path("refresh_token").asText(null), json.path("id_token").asText(null),
                json.path("scope").asText(null));
    }

    /** The access token's claims (decoded, not verified). */
    public JwtClaims claims() {
        return JwtClaims.decode(accessToken);
    }

    /** The value of an {@code Authorization} header (REST) or {@code authorization} metadata (gRPC). */
    public String authorizationHeader() {
        return "Bearer " + accessToken;
    }
}
