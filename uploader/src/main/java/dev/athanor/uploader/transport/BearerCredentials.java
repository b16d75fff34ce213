package dev.athanor.uploader.transport;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.util.concurrent.Executor;

/** Sends {@code authorization: Bearer <token>} with every call when a token is configured. */
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
            } catch (IOException e) {
                applier.fail(Status.UNAUTHENTICATED.withDescription(e.getMessage()).withCause(e));
            }
        });
    }
}
