package dev.athanor.rawlog;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/**
 * The caller's own Authorization header, as is, on a call made on the caller's behalf to an
 * ingest replica (live segment and asset reads): the replica checks the caller's rights, not a
 * service identity's.
 */
public final class PassOnAuthorization extends CallCredentials {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private final String header;

    public PassOnAuthorization(String header) {
        this.header = header;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata metadata = new Metadata();
        metadata.put(AUTHORIZATION, header);
        applier.apply(metadata);
    }
}
