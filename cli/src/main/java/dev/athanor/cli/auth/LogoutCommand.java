package dev.athanor.cli.auth;

import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import dev.athanor.cli.client.AthanorClient;
import dev.athanor.cli.client.ClientFailure;
import dev.athanor.cli.client.ServerOptions;
import dev.athanor.uploader.auth.AuthorizationServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code athanor logout}: forgets the login to a server (or all) and asks Keycloak to revoke its
 * refresh token, so a copied credentials file is useless afterwards.
 */
@Command(name = "logout", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Forgets your login to a server (removes its tokens from the login store) and revokes "
                + "its refresh token at Keycloak when Keycloak can be reached.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:logged out (or there was no login)",
            "2:the login store could not be read or written"
        })
public final class LogoutCommand implements Callable<Integer> {

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:ATHANOR_SERVER:-http://127.0.0.1:8080}",
            description = "The server to log out of (default: ATHANOR_SERVER, else http://127.0.0.1:8080; "
                    + "now: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--all", description = "Log out of every server.")
    boolean all;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TokenStore store = TokenStore.standard();
        try {
            List<String> servers = new ArrayList<>();
            if (all) {
                servers.addAll(store.all().keySet());
            } else {
                servers.add(AthanorClient.normalize(ServerOptions.serverUrl(server)));
            }
            if (servers.isEmpty()) {
                out.println("Not logged in anywhere.");
            }
            for (String each : servers) {
                Optional<StoredLogin> removed = store.remove(each);
                if (removed.isEmpty()) {
                    out.println("Not logged in to " + each + ".");
                    continue;
                }
                String revoked = revoke(removed.get());
                out.println("Logged out of " + each + " (was " + removed.get().username() + ")" + revoked + ".");
            }
            out.flush();
            return 0;
        } catch (IOException | ClientFailure e) {
            err.println("athanor logout: " + e.getMessage());
            return 2;
        }
    }

    /** Best effort: a logout must work offline too. Returns a note for the message. */
    private static String revoke(StoredLogin login) {
        if (login.refreshToken() == null) {
            return "";
        }
        try {
            AuthorizationServer server = AuthorizationServer.ofIssuer(login.issuer());
            Optional<URI> endpoint = server.revocationEndpoint();
            if (endpoint.isEmpty()) {
                return "; Keycloak has no revocation endpoint, the refresh token lives until it expires";
            }
            var response = server.send(new TokenRevocationRequest(endpoint.get(), new ClientID(login.clientId()),
                    new RefreshToken(login.refreshToken())).toHTTPRequest(), "token revocation");
            return response.indicatesSuccess() ? "; its refresh token was revoked"
                    : "; Keycloak did not revoke the refresh token (HTTP " + response.getStatusCode() + ")";
        } catch (IOException | RuntimeException e) {
            return "; the refresh token could not be revoked (" + e.getMessage() + ")";
        }
    }

}
