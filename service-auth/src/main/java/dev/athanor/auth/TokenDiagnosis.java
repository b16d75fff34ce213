package dev.athanor.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Explains why quarkus-oidc refused a token, so a 401 says what to fix. quarkus-oidc does the
 * verification (signature against the realm's JWKS, issuer, audience, expiry); this only reads the
 * unverified claims of a token already refused, to name the first thing that is wrong. Nothing in
 * the message comes from the server's secrets: the caller holds the token.
 */
public final class TokenDiagnosis {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenDiagnosis() {
    }

    /**
     * @param token          the refused compact JWT
     * @param expectedIssuer the configured issuer (realm URL), or null when unknown
     * @param audience       the audience the services require ({@code athanor-api})
     * @param now            the verification time
     */
    public static String explain(String token, String expectedIssuer, String audience, Instant now) {
        String[] parts = token.split("\\.", -1);
        JsonNode header;
        JsonNode claims;
        try {
            header = decode(parts[0]);
            claims = decode(parts[1]);
        } catch (RuntimeException | java.io.IOException e) {
            return "the bearer token is not a readable JWT";
        }
        String alg = header.path("alg").asText("");
        if (alg.isEmpty() || alg.equalsIgnoreCase("none")) {
            return "the bearer token is not signed (alg '" + alg + "'); only tokens signed by the realm are accepted";
        }
        if (claims.hasNonNull("exp") && claims.get("exp").canConvertToLong()) {
            long exp = claims.get("exp").asLong();
            if (exp <= now.getEpochSecond()) {
                return "the bearer token expired at " + Instant.ofEpochSecond(exp) + " (" + (now.getEpochSecond() - exp)
                        + " s ago); get a new one";
            }
        } else {
            return "the bearer token has no expiry (exp)";
        }
        String issuer = claims.path("iss").asText(null);
        if (expectedIssuer != null && !expectedIssuer.isBlank() && !stripSlash(expectedIssuer).equals(stripSlash(issuer))) {
            return "the bearer token was issued by '" + issuer + "', not by the configured realm '" + expectedIssuer + "'";
        }
        if (!hasAudience(claims.get("aud"), audience)) {
            return "the bearer token's audience " + claims.path("aud") + " does not include '" + audience
                    + "' (the client scope 'athanor' adds it)";
        }
        String typ = claims.path("typ").asText("Bearer");
        if (!typ.equalsIgnoreCase("Bearer")) {
            return "the bearer token is a " + typ + " token; send an access token";
        }
        return "the bearer token's signature does not verify against the realm's keys (signed by another key, or altered)";
    }

    private static JsonNode decode(String part) throws java.io.IOException {
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
    }

    private static boolean hasAudience(JsonNode aud, String audience) {
        if (aud == null) {
            return false;
        }
        if (aud.isArray()) {
            for (JsonNode a : aud) {
                if (audience.equals(a.asText())) {
                    return true;
                }
            }
            return false;
        }
        return audience.equals(aud.asText());
    }

    private static String stripSlash(String s) {
        return s == null ? "" : s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
