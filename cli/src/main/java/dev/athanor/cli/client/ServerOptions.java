package dev.athanor.cli.client;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import dev.athanor.cli.auth.LoginTokens;
import dev.athanor.cli.auth.StoredLogin;
import dev.athanor.cli.auth.TokenStore;
import picocli.CommandLine.Option;

/** {@code --server} and {@code --token-file}: where the query service is and how to authenticate. */
public final class ServerOptions {

    public static final String SERVER_ENV = "ATHANOR_SERVER";
    public static final String TOKEN_ENV = "ATHANOR_TOKEN";

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:ATHANOR_SERVER:-http://127.0.0.1:8080}",
            description = "The query service's URL (default: ATHANOR_SERVER, else http://127.0.0.1:8080; "
                    + "now: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding a bearer token to send. Default: the ATHANOR_TOKEN variable, if set, "
                    + "else the login of `athanor login` for this server (refreshed when needed).")
    Path tokenFile;

    /** A client for these options, reading the token now; unusable options are a {@link ClientFailure} (USAGE). */
    public AthanorClient connect() {
        return connect(System.getenv(), new LoginTokens(TokenStore.standard(), Clock.systemUTC()));
    }

    AthanorClient connect(Map<String, String> environment, LoginTokens logins) {
        String url = serverUrl(server);
        if (tokenFile != null) {
            return new AthanorClient(url, fileToken(), "the token in --token-file " + tokenFile);
        }
        String token = environment.get(TOKEN_ENV);
        if (token != null && !token.isBlank()) {
            return new AthanorClient(url, token.strip(), "the token in " + TOKEN_ENV);
        }
        String key = AthanorClient.normalize(url);
        return logins.current(key)
                .map(login -> new AthanorClient(url, login.accessToken(), "your login as " + login.username()
                        + " (athanor login)"))
                .orElseGet(() -> new AthanorClient(url, null, null));
    }

    /**
     * The bearer token for each call of a long-running command, asked again every time so that a
     * stored login is refreshed before it expires; empty when no token is configured. A login that
     * has ended is a {@link ClientFailure} (UNAUTHORIZED) saying to sign in again.
     */
    public Supplier<Optional<String>> tokens() {
        return tokens(System.getenv(), new LoginTokens(TokenStore.standard(), Clock.systemUTC()));
    }

    Supplier<Optional<String>> tokens(Map<String, String> environment, LoginTokens logins) {
        if (tokenFile != null) {
            Optional<String> token = Optional.of(fileToken());
            return () -> token;
        }
        String variable = environment.get(TOKEN_ENV);
        if (variable != null && !variable.isBlank()) {
            Optional<String> token = Optional.of(variable.strip());
            return () -> token;
        }
        String key = serverKey();
        return () -> logins.current(key).map(StoredLogin::accessToken);
    }

    /** The store key of this server: its normalized base URL. */
    public String serverKey() {
        return AthanorClient.normalize(serverUrl(server));
    }

    public static String serverUrl(String server) {
        String url = server == null ? "" : server.strip();
        if (url.isEmpty()) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, "--server is empty; give the query service's URL, "
                    + "e.g. http://127.0.0.1:8080");
        }
        if (!url.contains("://")) {
            url = "http://" + url;
        }
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ClientFailure(ClientFailure.Kind.USAGE, "--server " + server
                        + " is not an http:// or https:// URL with a host");
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new ClientFailure(ClientFailure.Kind.USAGE, "--server " + server
                        + " must not have a query or fragment");
            }
        } catch (URISyntaxException e) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, "--server " + server + " is not a URL: " + e.getMessage());
        }
        return url;
    }

    private String fileToken() {
        try {
            String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new ClientFailure(ClientFailure.Kind.USAGE, "--token-file " + tokenFile + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, "--token-file " + tokenFile + " cannot be read: "
                    + e.getMessage());
        }
    }
}
