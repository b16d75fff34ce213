package dev.athanor.cli.auth;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCode;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.athanor.uploader.auth.AuthorizationServer;
import dev.athanor.uploader.auth.AuthorizationServerUnavailable;
import dev.athanor.uploader.auth.IssuedTokens;
import dev.athanor.uploader.auth.TokenRequestRefused;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The OAuth 2.0 device authorization grant (RFC 8628) for a person at a terminal: ask the server
 * for a user code, show it with the verification URL, and poll the token endpoint at the server's
 * interval until the person approved in a browser (anywhere), denied, or the code expired.
 * {@code slow_down} adds 5 seconds to the interval, as the RFC says.
 */
public final class DeviceLogin {

    /** What the person must do: open {@code verificationUri} and enter {@code userCode}. */
    public record Prompt(String userCode, URI verificationUri, URI verificationUriComplete, Duration expiresIn) {
    }

    /** Why a login did not end with tokens; the message says what to do. */
    public static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;

        public Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Waits between polls (a test may record the intervals). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private final AuthorizationServer server;
    private final ClientID clientId;
    private final Scope scope;
    private final Clock clock;
    private final Sleeper sleeper;
    private Duration intervalOverride;

    public DeviceLogin(AuthorizationServer server, String clientId, Scope scope, Clock clock, Sleeper sleeper) {
        this.server = server;
        this.clientId = new ClientID(clientId);
        this.scope = scope;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Tests: poll at this interval instead of the server's (faster, to provoke {@code slow_down}). */
    DeviceLogin intervalOverride(Duration interval) {
        intervalOverride = interval;
        return this;
    }

    /**
     * Runs the grant: {@code show} gets the code to display, then this blocks until it ends.
     *
     * @param onSlowDown told the new interval each time the server asks to poll more slowly
     */
    public IssuedTokens run(Consumer<Prompt> show, Consumer<Duration> onSlowDown) throws Failed, InterruptedException {
        DeviceAuthorizationSuccessResponse started = start();
        Instant deadline = clock.instant().plusSeconds(started.getLifetime() > 0 ? started.getLifetime() : 600);
        Duration interval = intervalOverride != null ? intervalOverride
                : started.getInterval() > 0 ? Duration.ofSeconds(started.getInterval()) : DEFAULT_INTERVAL;
        show.accept(new Prompt(started.getUserCode().getValue(), started.getVerificationURI(),
                started.getVerificationURIComplete(), Duration.between(clock.instant(), deadline)));
        DeviceCodeGrant grant = new DeviceCodeGrant(new DeviceCode(started.getDeviceCode().getValue()));
        while (true) {
            sleeper.sleep(interval);
            try {
                return server.requestTokens(grant, null, clientId, null);
            } catch (TokenRequestRefused e) {
                switch (e.error()) {
                    case "authorization_pending" -> {
                        // Not approved yet.
                    }
                    case "slow_down" -> {
                        interval = interval.plus(SLOW_DOWN_STEP);
                        onSlowDown.accept(interval);
                    }
                    case "expired_token" -> throw new Failed("the code " + started.getUserCode().getValue()
                            + " expired before it was approved; run athanor login again", e);
                    case "access_denied" -> throw new Failed("the sign-in was denied in the browser", e);
                    default -> throw new Failed("the sign-in failed: " + e.getMessage(), e);
                }
            } catch (AuthorizationServerUnavailable e) {
                // A blip while the person is in the browser: keep polling until the code expires.
                if (clock.instant().isAfter(deadline)) {
                    throw new Failed("the sign-in server stopped answering: " + e.getMessage(), e);
                }
            } catch (IOException e) {
                throw new Failed("the sign-in failed: " + e.getMessage(), e);
            }
            if (clock.instant().isAfter(deadline.plus(interval))) {
                throw new Failed("the code " + started.getUserCode().getValue()
                        + " expired before it was approved; run athanor login again", null);
            }
        }
    }

    private DeviceAuthorizationSuccessResponse start() throws Failed {
        try {
            URI endpoint = server.deviceAuthorizationEndpoint();
            HTTPResponse response = server.send(new DeviceAuthorizationRequest(endpoint, clientId, scope).toHTTPRequest(),
                    "device authorization request");
            DeviceAuthorizationResponse parsed = DeviceAuthorizationResponse.parse(response);
            if (!parsed.indicatesSuccess()) {
                ErrorObject error = parsed.toErrorResponse().getErrorObject();
                throw new Failed(endpoint + " refused to start a sign-in for client '" + clientId.getValue() + "' (HTTP "
                        + response.getStatusCode() + " " + (error == null ? "" : error.getCode()
                        + (error.getDescription() == null ? "" : ": " + error.getDescription()))
                        + "); is it the CLI's public client with the device grant enabled (--client-id)?", null);
            }
            return parsed.toSuccessResponse();
        } catch (ParseException e) {
            throw new Failed("the device authorization endpoint of " + server.describe()
                    + " answered something that is not a device authorization response: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new Failed("cannot start the sign-in at " + server.describe() + ": " + e.getMessage(), e);
        }
    }
}
