package dev.athanor.cli.auth;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.athanor.cli.client.ClientFailure;
import dev.athanor.uploader.auth.AuthorizationServer;
import dev.athanor.uploader.auth.AuthorizationServerUnavailable;
import dev.athanor.uploader.auth.IssuedTokens;
import dev.athanor.uploader.auth.TokenRequestRefused;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The access token of a stored login ({@code athanor login}) for one server, refreshed with its
 * refresh token when it has less than {@link #MIN_REMAINING} left; the refreshed tokens are stored.
 */
public final class LoginTokens {

    /** An access token with less than this left is refreshed before use. */
    public static final Duration MIN_REMAINING = Duration.ofSeconds(30);

    private final TokenStore store;
    private final Clock clock;

    public LoginTokens(TokenStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The stored login for {@code server} with a usable access token, or empty when there is no login. */
    public Optional<StoredLogin> current(String server) {
        StoredLogin login;
        try {
            login = store.get(server).orElse(null);
        } catch (IOException e) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, e.getMessage());
        }
        if (login == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (login.accessExpiresAt() != null && login.accessExpiresAt().isAfter(now.plus(MIN_REMAINING))) {
            return Optional.of(login);
        }
        if (login.refreshToken() == null
                || (login.refreshExpiresAt() != null && !login.refreshExpiresAt().isAfter(now))) {
            throw expired(server, login, "its refresh token has expired");
        }
        try {
            IssuedTokens fresh = AuthorizationServer.ofIssuer(login.issuer(), clock).requestTokens(
                    new RefreshTokenGrant(new RefreshToken(login.refreshToken())), null,
                    new ClientID(login.clientId()), null);
            StoredLogin refreshed = new StoredLogin(login.issuer(), login.clientId(), login.username(),
                    fresh.accessToken(), fresh.expiresAt(),
                    fresh.refreshToken() != null ? fresh.refreshToken() : login.refreshToken(),
                    fresh.refreshToken() != null ? fresh.refreshExpiresAt() : login.refreshExpiresAt());
            store.put(server, refreshed);
            return Optional.of(refreshed);
        } catch (TokenRequestRefused e) {
            throw expired(server, login, "Keycloak refused to refresh it: " + e.error()
                    + (e.description() == null ? "" : " (" + e.description() + ")"));
        } catch (AuthorizationServerUnavailable e) {
            throw new ClientFailure(ClientFailure.Kind.UNREACHABLE, 0, "cannot refresh your login to " + server
                    + ": " + e.getMessage(), null, null, e);
        } catch (IOException | IllegalArgumentException e) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, 0, "cannot refresh your login to " + server + ": "
                    + e.getMessage(), null, null, e);
        }
    }

    private static ClientFailure expired(String server, StoredLogin login, String why) {
        return new ClientFailure(ClientFailure.Kind.UNAUTHORIZED, "your login to " + server + " as "
                + login.username() + " has ended (" + why + "); run: athanor login --server " + server);
    }
}
