package dev.athanor.cli.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.testing.keycloak.AthanorRealm;
import dev.athanor.testing.keycloak.KeycloakServer;
import dev.athanor.testing.keycloak.SharedKeycloak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CLI tests' Keycloak (one per test JVM): the Athanor realm as shipped, plus
 * {@value #QUICK_REALM}, the same realm with device-grant clients that poll every second
 * ({@code athanor-cli}) and whose codes expire after 2 s ({@value #SHORT_CLIENT}), so that login
 * tests do not wait 5 s per poll or 10 minutes for an expiry, and whose web client accepts any
 * origin (the web UI's sign-in test serves it on a random port).
 */
public final class TestKeycloak {

    public static final String QUICK_REALM = "athanor-quick";
    public static final String SHORT_CLIENT = "athanor-cli-short";

    private TestKeycloak() {
    }

    public static KeycloakServer get() {
        return SharedKeycloak.get(AthanorRealm.file(), quickRealmFile());
    }

    private static synchronized Path quickRealmFile() {
        try {
            ObjectMapper json = new ObjectMapper();
            ObjectNode realm = (ObjectNode) json.readTree(AthanorRealm.file().toFile());
            realm.put("realm", QUICK_REALM);
            realm.put("displayName", "Athanor (quick test clients)");
            ArrayNode clients = (ArrayNode) realm.get("clients");
            ObjectNode cli = null;
            for (var client : clients) {
                if (AthanorRealm.CLI_CLIENT.equals(client.path("clientId").asText())) {
                    cli = (ObjectNode) client;
                }
            }
            if (cli == null) {
                throw new IllegalStateException("no " + AthanorRealm.CLI_CLIENT + " client in " + AthanorRealm.file());
            }
            cli.withObjectProperty("attributes").put("oauth2.device.polling.interval", "1");
            // The web UI under test is served by a suite on a random port: let it call the token endpoint.
            for (var client : clients) {
                if (AthanorRealm.WEB_CLIENT.equals(client.path("clientId").asText())) {
                    ((ObjectNode) client).putArray("webOrigins").add("*");
                }
            }
            ObjectNode shortLived = cli.deepCopy();
            shortLived.put("clientId", SHORT_CLIENT);
            shortLived.withObjectProperty("attributes").put("oauth2.device.code.lifespan", "2");
            clients.add(shortLived);
            Path file = Path.of(System.getProperty("user.dir"), "target", QUICK_REALM + "-realm.json");
            Files.createDirectories(file.getParent());
            json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), realm);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot derive the " + QUICK_REALM + " realm", e);
        }
    }
}
