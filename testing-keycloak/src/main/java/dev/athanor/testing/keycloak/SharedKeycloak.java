package dev.athanor.testing.keycloak;

import java.nio.file.Path;
import java.util.List;

/**
 * One Keycloak per test JVM: started by the first test that asks, shared by every test class of
 * the run, stopped when the JVM exits ({@link KeycloakServer}'s shutdown hook). Keycloak takes
 * 20–60 s to start, so a module's tests start it once rather than once per class.
 *
 * <pre>{@code
 * KeycloakServer keycloak = SharedKeycloak.get();     // the Athanor realm
 * }</pre>
 */
public final class SharedKeycloak {

    private static KeycloakServer server;
    private static List<Path> realms;

    private SharedKeycloak() {
    }

    /** The JVM's Keycloak with the Athanor realm ({@link AthanorRealm#file()}) imported. */
    public static KeycloakServer get() {
        return get(AthanorRealm.file());
    }

    /**
     * The JVM's Keycloak with these realm files imported. Every caller in one JVM must ask for the
     * same files (the first call decides what is imported).
     */
    public static synchronized KeycloakServer get(Path... realmFiles) {
        List<Path> wanted = List.of(realmFiles).stream().map(p -> p.toAbsolutePath().normalize()).toList();
        if (server == null) {
            server = KeycloakServer.start(realmFiles);
            realms = wanted;
            System.out.println("[keycloak] shared server for this JVM at " + server.baseUrl() + ", ready after "
                    + server.startupTime().toMillis() + " ms");
        } else if (!realms.equals(wanted)) {
            throw new IllegalStateException("the shared Keycloak of this JVM imported " + realms
                    + "; a test asked for " + wanted + ": use the same realm files in every test of the module");
        }
        return server;
    }
}
