package dev.athanor.query.common.auth;

import jakarta.enterprise.context.RequestScoped;

/**
 * The verified bearer token of the current request, as its Authorization header, kept so calls
 * query-service makes on the caller's behalf (live segment reads from an ingest replica) carry
 * the caller's own rights rather than a service identity. Null with auth off.
 */
@RequestScoped
public class ForwardedAuthorization {

    private String header;

    public String header() {
        return header;
    }

    void set(String header) {
        this.header = header;
    }
}
