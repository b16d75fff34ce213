package dev.athanor.auth;

import java.util.Locale;

/**
 * Reads {@code Authorization: Bearer <token>} (HTTP header or gRPC metadata) and says exactly what
 * is wrong with a malformed one, before any verification runs.
 */
public final class BearerHeader {

    /** Longer values are refused unread: Keycloak access tokens are a few KiB. */
    public static final int MAX_LENGTH = 16 * 1024;

    /** The token, or why the header does not carry one. Exactly one of the two is set. */
    public record Parsed(String token, String problem) {
        public boolean ok() {
            return token != null;
        }
    }

    private BearerHeader() {
    }

    public static Parsed parse(String header) {
        if (header == null || header.isBlank()) {
            return problem("no bearer token: send the header 'Authorization: Bearer <access token>' with a token "
                    + "from the Keycloak realm (see /api/v1/info for the issuer)");
        }
        if (header.length() > MAX_LENGTH) {
            return problem("the Authorization header is " + header.length() + " characters long; at most "
                    + MAX_LENGTH + " are accepted");
        }
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
            return problem("the Authorization header must use the Bearer scheme ('Authorization: Bearer <access token>'), "
                    + "not '" + printable(scheme) + "'");
        }
        String token = space < 0 ? "" : header.substring(space + 1).trim();
        if (token.isEmpty()) {
            return problem("the Authorization header says Bearer but carries no token");
        }
        if (!token.matches("[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]*\\.[A-Za-z0-9_\\-]*")) {
            return problem("the bearer token is not a JWT (three base64url parts separated by dots)");
        }
        return new Parsed(token, null);
    }

    private static Parsed problem(String message) {
        return new Parsed(null, message);
    }

    private static String printable(String s) {
        String cut = s.length() > 20 ? s.substring(0, 20) + "…" : s;
        return cut.replaceAll("[^\\x20-\\x7e…]", "?");
    }
}
