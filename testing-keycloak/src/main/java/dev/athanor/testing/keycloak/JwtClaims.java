package dev.athanor.testing.keycloak;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The decoded header and claims of a JWT, for assertions in tests. Decoding does NOT verify the
 * signature: that is the services' job (quarkus-oidc against the realm's JWKS).
 */
public final class JwtClaims {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final Map<String, Object> header;
    private final Map<String, Object> claims;

    private JwtClaims(Map<String, Object> header, Map<String, Object> claims) {
        this.header = Collections.unmodifiableMap(header);
        this.claims = Collections.unmodifiableMap(claims);
    }

    public static JwtClaims decode(String jwt) {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a signed JWT: expected 3 dot-separated parts, found " + parts.length);
        }
        return new JwtClaims(part(parts[0], "header"), part(parts[1], "payload"));
    }

    private static Map<String, Object> part(String base64url, String which) {
        try {
            return JSON.readValue(new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8), MAP);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("JWT " + which + " is not base64url-encoded JSON: " + e.getMessage(), e);
        }
    }

    public Map<String, Object> header() {
        return header;
    }

    public Map<String, Object> asMap() {
        return claims;
    }

    public Object get(String claim) {
        return claims.get(claim);
    }

    public String string(String claim) {
        Object v = claims.get(claim);
        return v == null ? null : v.toString();
    }

    /** A claim that may be a single string or an array of strings (like {@code aud}); empty if absent. */
    public List<String> strings(String claim) {
        Object v = claims.get(claim);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(v.toString());
    }

    public String issuer() {
        return string("iss");
    }

    public String subject() {
        return string("sub");
    }

    public List<String> audience() {
        return strings("aud");
    }

    public Instant expiresAt() {
        return Instant.ofEpochSecond(((Number) claims.get("exp")).longValue());
    }

    public Instant issuedAt() {
        return Instant.ofEpochSecond(((Number) claims.get("iat")).longValue());
    }

    @Override
    public String toString() {
        return "JwtClaims" + claims;
    }
}
