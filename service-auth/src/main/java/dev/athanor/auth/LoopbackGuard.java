package dev.athanor.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Auth off is for one person on one machine: every listener must bind a loopback address. This
 * decides whether a set of binds is acceptable and says how to fix it when not.
 */
public final class LoopbackGuard {

    private LoopbackGuard() {
    }

    /**
     * @param authEnabled whether tokens are required
     * @param listeners   setting name → configured host (e.g. {@code quarkus.http.host → 0.0.0.0})
     * @return why the service must not start, or empty when it may
     */
    public static Optional<String> problem(boolean authEnabled, Map<String, String> listeners) {
        if (authEnabled) {
            return Optional.empty();
        }
        List<String> exposed = new ArrayList<>();
        listeners.forEach((setting, host) -> {
            if (!isLoopback(host)) {
                exposed.add(setting + "=" + host);
            }
        });
        if (exposed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("refusing to start: auth is off (athanor.auth.enabled=false) but " + String.join(", ", exposed)
                + " is not a loopback address, so anyone who reaches it could read and write every project. Either "
                + "turn auth on (ATHANOR_AUTH_ENABLED=true and QUARKUS_OIDC_AUTH_SERVER_URL=https://<keycloak>/realms/athanor)"
                + " or bind to 127.0.0.1 / ::1 (see docs/auth.md)");
    }

    /** Loopback literal or a name whose every address is loopback ({@code localhost}). */
    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;   // an empty host binds every interface
        }
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        try {
            InetAddress[] addresses = InetAddress.getAllByName(h);
            for (InetAddress a : addresses) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
