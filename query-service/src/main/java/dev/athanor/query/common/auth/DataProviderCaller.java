package dev.athanor.query.common.auth;

import dev.athanor.auth.CurrentCaller;
import dev.athanor.auth.GrpcCaller;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Makes the caller {@link DataProviderAccessEdge} verified the current request's caller, so
 * {@link ProjectAccess} and every service check projects exactly as on REST, and keeps its token for
 * the reads query-service makes on its behalf ({@link ForwardedAuthorization}).
 */
@ApplicationScoped
public class DataProviderCaller {

    private final CurrentCaller current;
    private final ForwardedAuthorization forwarded;

    public DataProviderCaller(CurrentCaller current, ForwardedAuthorization forwarded) {
        this.current = current;
        this.forwarded = forwarded;
    }

    /** Call on the call's worker thread, with the request context active, before anything is read. */
    public void adopt() {
        current.set(GrpcCaller.current());
        forwarded.set(GrpcCaller.authorization());
    }
}
