package dev.athanor.testing.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Fetches tokens from one Keycloak realm the way Athanor's callers will: training pods with the
 * client-credentials grant, tests with the password grant (people use code + PKCE or the device
 * grant, which need a browser), the CLI starting a device authorization.
 */
public final class TokenClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String issuer;

    TokenClient(HttpClient http, String issuer) {
        this.http = http;
        this.issuer = issuer;
    }

    /** The realm's issuer ({@code iss} of its tokens), e.g. {@code http://127.0.0.1:8180/realms/athanor}. */
    public String issuer() {
        return issuer;
    }

    public URI tokenEndpoint() {
        return URI.create(issuer + "/protocol/openid-connect/token");
    }

    public URI deviceAuthorizationEndpoint() {
        return URI.create(issuer + "/protocol/openid-connect/auth/device");
    }

    /** The realm's OpenID discovery document's location. */
    public URI discovery() {
        return URI.create(issuer + "/.well-known/openid-configuration");
    }

    /** A confidential client's own token (a training pod's machine identity). */
    public TokenResponse clientCredentials(String clientId, String clientSecret) {
        return TokenResponse.from(post(tokenEndpoint(), form(
                "grant_type", "client_credentials", "client_id", clientId, "client_secret", clientSecret)));
    }

    /** A person's token through a public client that allows the resource-owner password grant. */
    public TokenResponse password(String clientId, String username, String password) {
        return TokenResponse.from(post(tokenEndpoint(), form(
                "grant_type", "password", "client_id", clientId, "username", username, "password", password,
                "scope", "openid")));
    }

    /** Starts the device authorization grant for a public client (what {@code athanor login} will do). */
    public DeviceAuthorization deviceAuthorization(String clientId) {
        JsonNode body = post(deviceAuthorizationEndpoint(), form("client_id", clientId, "scope", "openid"));
        return new DeviceAuthorization(body.path("device_code").asText(), body.path("user_code").asText(),
                body.path("verification_uri").asText(), body.path("verification_uri_complete").asText(null),
                body.path("expires_in").asLong(), body.path("interval").asLong(5));
    }

    /**
     * POSTs a form to an endpoint of the realm.
     *
     * @throws TokenRequestRefused when Keycloak answers anything but 200, with its OAuth error
     */
    public JsonNode post(URI endpoint, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + endpoint + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during POST " + endpoint, e);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() != 200) {
            throw new TokenRequestRefused(endpoint, response.statusCode(),
                    json == null ? null : json.path("error").asText(null),
                    json == null ? response.body() : json.path("error_description").asText(null));
        }
        if (json == null) {
            throw new IllegalStateException("POST " + endpoint + " answered 200 without JSON: " + response.body());
        }
        return json;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, String> form(String... keyValues) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            form.put(keyValues[i], keyValues[i + 1]);
        }
        return form;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The answer of a device authorization request (RFC 8628, section 3.2). */
    public record DeviceAuthorization(String deviceCode, String userCode, String verificationUri,
                                      String verificationUriComplete, long expiresInSeconds, long intervalSeconds) {
    }
}
