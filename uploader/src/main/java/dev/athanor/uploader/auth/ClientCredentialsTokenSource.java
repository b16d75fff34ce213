package dev.athanor.uploader.auth;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.athanor.uploader.transport.SingleLineFile;
import dev.athanor.uploader.transport.TokenSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * A training pod's own token: the OAuth 2.0 client-credentials grant of a confidential client
 * (in Athanor's realm, {@code uploader-<project>}). The token is kept and fetched again after
 * three quarters of its lifetime, or at once when the ingest service refused it
 * ({@link #renew(String)}). The client secret is read from its file on every fetch, so a rotated
 * Kubernetes Secret is used from the next fetch on. Neither the secret nor a token is ever put in
 * a message.
 */
public final class ClientCredentialsTokenSource implements TokenSource {

    private final AuthorizationServer server;
    private final String clientId;
    private final Path secretFile;
    private final Clock clock;
    private IssuedTokens current;

    public ClientCredentialsTokenSource(AuthorizationServer server, String clientId, Path secretFile, Clock clock) {
        this.server = Objects.requireNonNull(server, "server");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.secretFile = Objects.requireNonNull(secretFile, "secretFile");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Checks what can be checked without the network (the secret file is readable and holds one
     * line), so that a wrong path is an options error at start rather than a failed call later.
     */
    public static ClientCredentialsTokenSource checked(AuthorizationServer server, String clientId, Path secretFile,
                                                       Clock clock) throws IOException {
        if (clientId == null || clientId.isBlank()) {
            throw new IOException("the client id is empty");
        }
        SingleLineFile.read(secretFile, "client secret file");
        return new ClientCredentialsTokenSource(server, clientId.strip(), secretFile, clock);
    }

    @Override
    public synchronized String token() throws IOException {
        if (current == null || !clock.instant().isBefore(current.renewAt())) {
            current = fetch();
        }
        return current.accessToken();
    }

    @Override
    public synchronized boolean renew(String rejected) {
        if (current != null && (rejected == null || current.accessToken().equals(rejected))) {
            current = null;
        }
        return true;
    }

    /** The tokens last issued, or null (for tests and diagnostics; its toString hides the token). */
    public synchronized IssuedTokens current() {
        return current;
    }

    private IssuedTokens fetch() throws IOException {
        Secret secret = new Secret(SingleLineFile.read(secretFile, "client secret file"));
        try {
            return server.requestTokens(new ClientCredentialsGrant(),
                    new ClientSecretBasic(new ClientID(clientId), secret), null, null);
        } catch (TokenRequestRefused e) {
            String advice = advice(e);
            throw advice == null ? e : e.withAdvice(advice);
        } finally {
            secret.erase();
        }
    }

    /** What to do about a refusal. Keycloak answers a wrong secret with 401 {@code unauthorized_client}. */
    private String advice(TokenRequestRefused e) {
        if (e.httpStatus() == 401 || "invalid_client".equals(e.error())) {
            return "check the client id '" + clientId + "' and the secret in " + secretFile
                    + " (--client-id, --client-secret-file)";
        }
        if ("unauthorized_client".equals(e.error())) {
            return "the client '" + clientId
                    + "' may not use the client-credentials grant: enable its service account in Keycloak";
        }
        return null;
    }

    @Override
    public String describe() {
        return "the client credentials of '" + clientId + "' (secret in " + secretFile + ") at " + server.describe();
    }

    @Override
    public String toString() {
        return "ClientCredentialsTokenSource[" + clientId + " at " + server.describe() + "]";
    }
}
