package dev.athanor.ingest.forward;

import io.grpc.Context;
import io.grpc.Metadata;

/**
 * What forwarding needs to know about the client's call: its {@code authorization} header (passed
 * on as is, so the owner authorizes the caller again) and whether another replica already
 * forwarded it (then it is never forwarded again: no loops, at most one hop).
 *
 * @param authorization the caller's header value, or null (auth off, or none sent)
 * @param forwardedFrom the node that forwarded this call, or null for a call from a client
 */
public record CallOrigin(String authorization, String forwardedFrom) {

    /** Set by a replica on every call it forwards: the forwarding node's name. */
    public static final Metadata.Key<String> FORWARDED_FROM =
            Metadata.Key.of("athanor-forwarded-from", Metadata.ASCII_STRING_MARSHALLER);

    /** Advisory trailer on UNAVAILABLE: the gRPC address of the run's owner, for clients that reach pods directly. */
    public static final Metadata.Key<String> OWNER_ADDRESS =
            Metadata.Key.of("athanor-owner-address", Metadata.ASCII_STRING_MARSHALLER);

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    static final Context.Key<CallOrigin> KEY = Context.key("athanor-call-origin");

    private static final CallOrigin CLIENT_WITHOUT_HEADERS = new CallOrigin(null, null);

    /** The current call's origin; read on the call's own thread. */
    public static CallOrigin current() {
        CallOrigin origin = KEY.get();
        return origin == null ? CLIENT_WITHOUT_HEADERS : origin;
    }

    static CallOrigin of(Metadata headers) {
        return new CallOrigin(headers.get(AUTHORIZATION), headers.get(FORWARDED_FROM));
    }

    public boolean forwarded() {
        return forwardedFrom != null;
    }
}
