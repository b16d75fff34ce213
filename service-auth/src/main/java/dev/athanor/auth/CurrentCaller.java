package dev.athanor.auth;

import jakarta.enterprise.context.RequestScoped;

/**
 * The caller of the current HTTP request, set by the service's request filter once the token is
 * verified. With auth off it is the local superuser; with auth on and nothing set (a path that
 * skipped the filter) it is a caller without any role, so a mistake fails closed.
 */
@RequestScoped
public class CurrentCaller {

    private final AuthSettings settings;
    private Caller caller;

    public CurrentCaller(AuthSettings settings) {
        this.settings = settings;
    }

    public Caller get() {
        if (caller != null) {
            return caller;
        }
        return settings.enabled() ? new Caller("-", "-", "-", ProjectGrants.none()) : Caller.LOCAL;
    }

    public void set(Caller caller) {
        this.caller = caller;
    }
}
