package dev.athanor.uploader.transport;

import dev.athanor.uploader.auth.AuthorizationServerUnavailable;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * Sends {@code authorization: Bearer <token>} with every call when a token is configured. A token
 * that cannot be had fails the call before it is sent: {@code UNAVAILABLE} when the authorization
 * server is unreachable (retried like any outage), {@code UNAUTHENTICATED} with the reason (and the
 * exception as the status' cause) otherwise.
 */
public final class BearerCredentials extends CallCredentials {

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final TokenSource source;

    public BearerCredentials(TokenSource source) {
        this.source = source;
    }

    @Override
    public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
        appExecutor.execute(() -> {
            try {
                String token = source.token();
                Metadata headers = new Metadata();
                if (token != null) {
                    headers.put(AUTHORIZATION, "Bearer " + token);
                }
                applier.apply(headers);
            } catch (AuthorizationServerUnavailable e) {
                // Keycloak is down or slow: like an unreachable ingest, worth retrying with backoff.
                applier.fail(Status.UNAVAILABLE.withDescription("no token yet: " + e.getMessage()).withCause(e));
            } catch (IOException e) {
                applier.fail(Status.UNAUTHENTICATED.withDescription(e.getMessage()).withCause(e));
            } catch (RuntimeException e) {
                applier.fail(Status.UNAUTHENTICATED.withDescription("cannot get a token from " + source.describe()
                        + ": " + e).withCause(e));
            }
        });
    }
}
