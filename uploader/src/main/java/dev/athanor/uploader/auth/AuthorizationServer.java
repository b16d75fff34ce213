package dev.athanor.uploader.auth;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * An OAuth 2.0 authorization server (a Keycloak realm) as Athanor's clients use it: its endpoints,
 * found by OpenID discovery from the issuer URL ({@code https://keycloak.example/realms/athanor})
 * or given directly (a token endpoint URL), and token requests to it. Discovery happens on first
 * use and is remembered; a failed discovery is tried again on the next use.
 */
public final class AuthorizationServer {

    /** Connect and read timeout of each request to the server. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final URI issuer;
    private final URI fixedTokenEndpoint;
    private final Clock clock;
    private volatile OIDCProviderMetadata metadata;

    private AuthorizationServer(URI issuer, URI fixedTokenEndpoint, Clock clock) {
        this.issuer = issuer;
        this.fixedTokenEndpoint = fixedTokenEndpoint;
        this.clock = clock;
    }

    /**
     * A server found by OpenID discovery ({@code <issuer>/.well-known/openid-configuration}).
     *
     * @throws IllegalArgumentException when {@code issuer} is not an http(s) URL
     */
    public static AuthorizationServer ofIssuer(String issuer) {
        return ofIssuer(issuer, Clock.systemUTC());
    }

    public static AuthorizationServer ofIssuer(String issuer, Clock clock) {
        URI uri = httpUrl("issuer", issuer);
        String text = uri.toString();
        // The issuer is compared exactly with the discovery document's; a trailing slash is a typo.
        return new AuthorizationServer(URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text),
                null, clock);
    }

    /** A server known only by its token endpoint (no discovery). */
    public static AuthorizationServer ofTokenEndpoint(String tokenEndpoint) {
        return ofTokenEndpoint(tokenEndpoint, Clock.systemUTC());
    }

    public static AuthorizationServer ofTokenEndpoint(String tokenEndpoint, Clock clock) {
        return new AuthorizationServer(null, httpUrl("token URL", tokenEndpoint), clock);
    }

    /** The issuer URL, or null when only a token endpoint was given. */
    public URI issuer() {
        return issuer;
    }

    /** For messages: the issuer, or the token endpoint. */
    public String describe() {
        return issuer != null ? issuer.toString() : fixedTokenEndpoint.toString();
    }

    public URI tokenEndpoint() throws IOException {
        return fixedTokenEndpoint != null ? fixedTokenEndpoint : metadata().getTokenEndpointURI();
    }

    /** The device authorization endpoint (RFC 8628); needs an issuer. */
    public URI deviceAuthorizationEndpoint() throws IOException {
        URI endpoint = requireIssuer("the device authorization grant").getDeviceAuthorizationEndpointURI();
        if (endpoint == null) {
            throw new IOException(issuer + " does not offer the device authorization grant"
                    + " (no device_authorization_endpoint in its discovery document)");
        }
        return endpoint;
    }

    /** The token revocation endpoint (RFC 7009), when the server has one. */
    public Optional<URI> revocationEndpoint() throws IOException {
        return Optional.ofNullable(requireIssuer("token revocation").getRevocationEndpointURI());
    }

    /**
     * Asks the token endpoint for tokens.
     *
     * @param grant    the grant (client credentials, device code, refresh token)
     * @param auth     the confidential client's authentication, or null for a public client
     * @param clientId the public client's id (when {@code auth} is null)
     * @param scope    scopes to ask for, or null for the client's defaults
     * @throws TokenRequestRefused             the server answered with an OAuth error
     * @throws AuthorizationServerUnavailable  unreachable, HTTP 5xx, or an answer that is not a token response
     */
    public IssuedTokens requestTokens(AuthorizationGrant grant, ClientAuthentication auth, ClientID clientId,
                                      Scope scope) throws IOException {
        URI endpoint = tokenEndpoint();
        TokenRequest request = auth != null
                ? new TokenRequest(endpoint, auth, grant, scope)
                : new TokenRequest(endpoint, clientId, grant, scope);
        HTTPResponse response = send(request.toHTTPRequest(), "token request");
        TokenResponse parsed;
        try {
            parsed = TokenResponse.parse(response);
        } catch (ParseException e) {
            throw new AuthorizationServerUnavailable(endpoint + " answered HTTP " + response.getStatusCode()
                    + " with something that is not a token response (" + excerpt(response) + ")", e);
        }
        if (!parsed.indicatesSuccess()) {
            ErrorObject error = parsed.toErrorResponse().getErrorObject();
            int status = response.getStatusCode();
            String code = error == null || error.getCode() == null ? "no error code" : error.getCode();
            if (status >= 500 || status == 429 || "temporarily_unavailable".equals(code) || "server_error".equals(code)) {
                throw new AuthorizationServerUnavailable(endpoint + " failed (HTTP " + status + " " + code + ")", null);
            }
            throw new TokenRequestRefused(endpoint, status, code, error == null ? null : error.getDescription());
        }
        AccessTokenResponse success = parsed.toSuccessResponse();
        AccessToken access = success.getTokens().getAccessToken();
        RefreshToken refresh = success.getTokens().getRefreshToken();
        Instant now = clock.instant();
        Instant refreshExpiresAt = null;
        Object refreshExpiresIn = success.getCustomParameters().get("refresh_expires_in");
        if (refresh != null && refreshExpiresIn instanceof Number n && n.longValue() > 0) {
            refreshExpiresAt = now.plusSeconds(n.longValue());
        }
        return new IssuedTokens(access.getValue(), now, access.getLifetime() > 0 ? now.plusSeconds(access.getLifetime()) : null,
                refresh == null ? null : refresh.getValue(), refreshExpiresAt);
    }

    /** Sends a request with this class' timeouts; a failure to get any HTTP answer is "unavailable". */
    public HTTPResponse send(HTTPRequest request, String what) throws AuthorizationServerUnavailable {
        request.setConnectTimeout((int) TIMEOUT.toMillis());
        request.setReadTimeout((int) TIMEOUT.toMillis());
        try {
            return request.send();
        } catch (IOException e) {
            throw new AuthorizationServerUnavailable("cannot reach " + request.getURI() + " for the " + what + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private OIDCProviderMetadata requireIssuer(String what) throws IOException {
        if (issuer == null) {
            throw new IOException(what + " needs the issuer URL, not only a token endpoint");
        }
        return metadata();
    }

    private OIDCProviderMetadata metadata() throws IOException {
        OIDCProviderMetadata known = metadata;
        if (known != null) {
            return known;
        }
        URI discovery = URI.create(issuer + "/.well-known/openid-configuration");
        HTTPResponse response = send(new HTTPRequest(HTTPRequest.Method.GET, discovery), "OpenID discovery");
        int status = response.getStatusCode();
        if (status >= 500 || status == 429) {
            throw new AuthorizationServerUnavailable(discovery + " failed (HTTP " + status + ")", null);
        }
        if (status != 200) {
            throw new IOException(discovery + " answered HTTP " + status + ": is " + issuer
                    + " the issuer URL of the realm (https://keycloak.example/realms/<realm>)?");
        }
        try {
            OIDCProviderMetadata parsed = OIDCProviderMetadata.parse(response.getBodyAsJSONObject());
            if (!parsed.getIssuer().equals(new Issuer(issuer))) {
                throw new IOException(discovery + " names the issuer " + parsed.getIssuer().getValue()
                        + ", not " + issuer + "; give exactly the issuer of the realm's tokens");
            }
            metadata = parsed;
            return parsed;
        } catch (ParseException e) {
            throw new IOException(discovery + " is not an OpenID discovery document (" + e.getMessage() + ")", e);
        }
    }

    private static String excerpt(HTTPResponse response) {
        String body = response.getBody();
        if (body == null || body.isBlank()) {
            return "an empty body";
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return "'" + (flat.length() > 120 ? flat.substring(0, 120) + "…" : flat) + "'";
    }

    private static URI httpUrl(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " is empty");
        }
        try {
            URI uri = new URI(value.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("the " + what + " " + value + " is not an http:// or https:// URL");
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException("the " + what + " " + value + " must not have a query or fragment");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the " + what + " " + value + " is not a URL: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "AuthorizationServer[" + describe() + "]";
    }
}
