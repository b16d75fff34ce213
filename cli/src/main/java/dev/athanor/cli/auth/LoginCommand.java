package dev.athanor.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.Scope;
import dev.athanor.cli.client.AthanorClient;
import dev.athanor.cli.client.ClientFailure;
import dev.athanor.cli.client.Query;
import dev.athanor.cli.client.ServerOptions;
import dev.athanor.uploader.auth.AuthorizationServer;
import dev.athanor.uploader.auth.IssuedTokens;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code athanor login}: signs a person in with the OAuth 2.0 device authorization grant and
 * keeps the tokens for the server, so that {@code runs}, {@code export} and {@code check} send them.
 */
@Command(name = "login", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Signs you in to an Athanor server with Keycloak's device authorization grant: it shows a URL "
                + "and a code, you approve in any browser (on any machine), and the tokens are kept in "
                + "<config dir>/credentials.json (mode 0600) for that server. Later commands send the access "
                + "token and refresh it when it nears its end.",
            "",
            "The issuer (the Keycloak realm) comes from the server's GET /api/v1/info unless --issuer is given."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:signed in; the tokens are stored",
            "1:the sign-in did not happen: denied in the browser, or the code expired",
            "2:usage or server error: bad option, server unreachable, auth off on the server, Keycloak refused"
        })
public final class LoginCommand implements Callable<Integer> {

    public static final String DEFAULT_CLIENT_ID = "athanor-cli";

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:ATHANOR_SERVER:-http://127.0.0.1:8080}",
            description = "The query service to sign in to (default: ATHANOR_SERVER, else http://127.0.0.1:8080; "
                    + "now: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--issuer", paramLabel = "URL",
            description = "The Keycloak realm's issuer URL, e.g. https://keycloak.example/realms/athanor "
                    + "(default: what the server's /api/v1/info says).")
    String issuer;

    @Option(names = "--client-id", paramLabel = "ID", defaultValue = DEFAULT_CLIENT_ID,
            description = "The public client with the device grant (default: ${DEFAULT-VALUE}).")
    String clientId;

    @Option(names = "--scope", paramLabel = "SCOPES", defaultValue = "openid",
            description = "Scopes to ask for, space-separated (default: ${DEFAULT-VALUE}; add offline_access for a "
                    + "login that survives Keycloak's session timeouts, if the realm allows it).")
    String scope;

    @Spec
    CommandSpec spec;

    private DeviceLogin.Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());
    private Duration intervalOverride;

    /** Tests: how to wait between polls, and an interval instead of the server's (null: the server's). */
    public LoginCommand pollingForTests(DeviceLogin.Sleeper sleeper, Duration intervalOverride) {
        this.sleeper = sleeper;
        this.intervalOverride = intervalOverride;
        return this;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        String serverUrl;
        String issuerUrl;
        try {
            serverUrl = AthanorClient.normalize(ServerOptions.serverUrl(server));
            issuerUrl = issuer != null ? issuer : issuerOf(serverUrl);
        } catch (ClientFailure e) {
            err.println("athanor login: " + e.getMessage());
            return 2;
        }
        AuthorizationServer authServer;
        try {
            authServer = AuthorizationServer.ofIssuer(issuerUrl);
        } catch (IllegalArgumentException e) {
            err.println("athanor login: --issuer: " + e.getMessage());
            return 2;
        }
        DeviceLogin login = new DeviceLogin(authServer, clientId, Scope.parse(scope), Clock.systemUTC(), sleeper);
        if (intervalOverride != null) {
            login.intervalOverride(intervalOverride);
        }
        IssuedTokens tokens;
        try {
            tokens = login.run(prompt -> {
                err.println("To sign in to " + serverUrl + ", open this page in a browser:");
                err.println();
                err.println("    " + (prompt.verificationUriComplete() != null
                        ? prompt.verificationUriComplete() : prompt.verificationUri()));
                err.println();
                err.println("and check that it shows the code " + prompt.userCode() + " (or enter it at "
                        + prompt.verificationUri() + ").");
                err.println("Waiting for you to approve (the code expires in "
                        + Math.max(1, prompt.expiresIn().toMinutes()) + " minutes)…");
                err.flush();
            }, interval -> {
                err.println("(the server asked to poll more slowly: every " + interval.toSeconds() + " s)");
                err.flush();
            });
        } catch (DeviceLogin.Failed e) {
            err.println("athanor login: " + e.getMessage());
            return e.getMessage().contains("refused to start") || e.getMessage().contains("cannot start") ? 2 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("athanor login: interrupted");
            return 1;
        }
        Identity who = Identity.of(tokens.accessToken());
        StoredLogin stored = new StoredLogin(issuerUrl, clientId, who.username(), tokens.accessToken(),
                tokens.expiresAt(), tokens.refreshToken(), tokens.refreshExpiresAt());
        TokenStore store = TokenStore.standard();
        try {
            store.put(serverUrl, stored);
        } catch (IOException e) {
            err.println("athanor login: signed in, but the tokens could not be stored: " + e.getMessage());
            return 2;
        }
        out.println("Signed in to " + serverUrl + " as " + who.username()
                + (who.roles().isEmpty() ? " (no Athanor project roles yet: ask a project admin)"
                        : " with " + String.join(", ", who.roles()))
                + ". Tokens stored in " + store.file() + ".");
        out.flush();
        return 0;
    }

    /** The issuer the server announces; a failure says what to do. */
    private static String issuerOf(String serverUrl) {
        JsonNode info;
        try {
            info = new AthanorClient(serverUrl, null).get("/api/v1/info", Query.of());
        } catch (ClientFailure e) {
            if (e.kind() == ClientFailure.Kind.NOT_FOUND || e.kind() == ClientFailure.Kind.BAD_RESPONSE) {
                throw new ClientFailure(ClientFailure.Kind.USAGE, "the server at " + serverUrl
                        + " does not say where to sign in (no usable GET /api/v1/info); give --issuer");
            }
            throw e;
        }
        JsonNode auth = info.path("auth");
        if (!auth.path("enabled").asBoolean(false)) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, "the server at " + serverUrl
                    + " runs with auth off: there is nothing to sign in to (commands work without a token)");
        }
        String announced = auth.path("issuer").asText("");
        if (announced.isBlank()) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, "the server at " + serverUrl
                    + " has auth on but does not name its issuer; give --issuer");
        }
        return announced;
    }

    /** Who a token says its holder is (read for display only; the server verifies tokens). */
    record Identity(String username, List<String> roles) {
        static Identity of(String accessToken) {
            try {
                JWTClaimsSet claims = JWTParser.parse(accessToken).getJWTClaimsSet();
                String name = claims.getStringClaim("preferred_username");
                List<String> roles = claims.getStringListClaim("athanor_roles");
                return new Identity(name != null ? name : claims.getSubject(), roles == null ? List.of() : roles);
            } catch (java.text.ParseException | RuntimeException e) {
                return new Identity("(an opaque token)", List.of());
            }
        }
    }
}
