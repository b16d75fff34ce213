package dev.athanor.uploader.transport;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where ingest listens. Accepts {@code HOST:PORT}, {@code [IPv6]:PORT}, and URLs:
 * {@code https://HOST[:PORT]} (TLS, port 443 by default) and {@code http://HOST[:PORT]} (plaintext, 80).
 *
 * @param host         host name or address
 * @param port         TCP port
 * @param tlsByScheme  true for https://, false for http://, null when no scheme was given
 */
public record Endpoint(String host, int port, Boolean tlsByScheme) {

    public static Endpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the ingest endpoint is empty; expected HOST:PORT");
        }
        String value = text.strip();
        if (value.contains("://")) {
            return parseUrl(value);
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("endpoint '" + value + "' has no port; expected HOST:PORT");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("endpoint '" + value + "': write IPv6 addresses as [ADDRESS]:PORT");
        }
        return new Endpoint(host, port(value, value.substring(colon + 1)), null);
    }

    private static Endpoint parseUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme().toLowerCase();
            boolean tls = switch (scheme) {
                case "https", "grpcs" -> true;
                case "http", "grpc" -> false;
                default -> throw new IllegalArgumentException(
                        "endpoint '" + value + "': unknown scheme '" + scheme + "' (use HOST:PORT, http:// or https://)");
            };
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("endpoint '" + value + "' has no host");
            }
            if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
                throw new IllegalArgumentException("endpoint '" + value + "': gRPC endpoints take no path");
            }
            int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
            String host = uri.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new Endpoint(host, port, tls);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint '" + value + "' is not a valid URL: " + e.getMessage());
        }
    }

    private static int port(String value, String digits) {
        try {
            int port = Integer.parseInt(digits);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint '" + value + "': port '" + digits + "' is not 1-65535");
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
