package dev.athanor.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.cli.auth.LoginTokens;
import dev.athanor.cli.auth.StoredLogin;
import dev.athanor.cli.auth.TokenStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token of a long-running command (the TensorBoard proxy): asked for again on every call. */
class ServerOptionsTokensTest {

    @TempDir
    Path temp;

    private static StoredLogin login(String accessToken) {
        return new StoredLogin("https://kc/realms/athanor", "athanor-cli", "demo-reader", accessToken,
                Instant.now().plus(1, ChronoUnit.HOURS), null, null);
    }

    @Test
    void aStoredLoginIsReadAgainForEveryCallSoARefreshedTokenIsUsed() throws Exception {
        ServerOptions options = new ServerOptions();
        options.server = "http://127.0.0.1:8080";
        TokenStore store = new TokenStore(temp.resolve("config"));
        Supplier<Optional<String>> tokens = options.tokens(Map.of(), new LoginTokens(store, Clock.systemUTC()));

        assertThat(tokens.get()).isEmpty();
        store.put(options.serverKey(), login("first"));
        assertThat(tokens.get()).contains("first");
        store.put(options.serverKey(), login("refreshed"));
        assertThat(tokens.get()).contains("refreshed");
    }

    @Test
    void aTokenFromTheEnvironmentWinsOverTheLogin() throws Exception {
        ServerOptions options = new ServerOptions();
        options.server = "http://127.0.0.1:8080";
        TokenStore store = new TokenStore(temp.resolve("config"));
        store.put(options.serverKey(), login("stored"));

        assertThat(options.tokens(Map.of(ServerOptions.TOKEN_ENV, " from-env\n"),
                new LoginTokens(store, Clock.systemUTC())).get()).contains("from-env");
    }
}
