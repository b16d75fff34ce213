package dev.athanor.cli.tensorboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.client.ClientFailure;
import java.net.URI;

/**
 * Where query-service serves TensorBoard's data-provider protocol (gRPC): {@code --data-provider}
 * when given, else the REST server's host with the port its {@code /api/v1/info} advertises
 * ({@code dataProvider.port}), else with {@link #DEFAULT_PORT}. TLS when the REST URL is https.
 */
public record DataProviderAddress(String target, boolean tls) {

    /** query-service's default data-provider port ({@code athanor.query.data-provider.port}). */
    public static final int DEFAULT_PORT = 9190;

    /**
     * @param explicit  {@code --data-provider HOST:PORT}, or null
     * @param serverUrl the REST server's base URL (http or https)
     * @param info      the server's {@code /api/v1/info}, or null when not asked
     */
    public static DataProviderAddress of(String explicit, String serverUrl, JsonNode info) {
        URI server = URI.create(serverUrl);
        boolean tls = "https".equals(server.getScheme());
        if (explicit != null && !explicit.isBlank()) {
            String target = explicit.strip();
            int colon = target.lastIndexOf(':');
            if (colon <= 0 || colon == target.length() - 1 || !target.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                throw new ClientFailure(ClientFailure.Kind.USAGE, "--data-provider " + explicit
                        + " is not HOST:PORT, e.g. 127.0.0.1:" + DEFAULT_PORT);
            }
            return new DataProviderAddress(target, tls);
        }
        JsonNode advertised = info == null ? null : info.path("dataProvider").path("port");
        int port = advertised != null && advertised.canConvertToInt() && advertised.asInt() > 0
                ? advertised.asInt() : DEFAULT_PORT;
        String host = server.getHost().contains(":") ? "[" + server.getHost() + "]" : server.getHost();
        return new DataProviderAddress(host + ":" + port, tls);
    }
}
