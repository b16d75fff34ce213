package dev.athanor.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * A small REST client of query-service ({@code /api/v1}): JSON in, JSON or a byte stream out.
 * Every failure becomes a {@link ClientFailure} that says what to do about it.
 */
public final class AthanorClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long the server may take to start answering (a check or an export snapshot is prepared first). */
    static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(2);
    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    /** Longest URL sent by GET (well under nginx's default 8 KiB request line); see {@link #fitsInUrl}. */
    static final int MAX_GET_URL = 4096;

    private final String server;
    private final String token;
    private final String tokenOrigin;
    private final HttpClient http;
    private final ObjectMapper json;

    /**
     * @param server the query service's base URL ({@code http://host:port}; a trailing
     *               {@code /api/v1} is accepted too)
     * @param token  bearer token, or null
     */
    public AthanorClient(String server, String token) {
        this(server, token, token == null ? null : "the token");
    }

    /**
     * @param tokenOrigin where the token came from, for messages when it is refused (e.g.
     *                    {@code the token in ATHANOR_TOKEN}, {@code your login as demo-reader (athanor login)})
     */
    public AthanorClient(String server, String token, String tokenOrigin) {
        this.server = normalize(server);
        this.token = token;
        this.tokenOrigin = tokenOrigin;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        // The server writes NaN and the infinities as strings; accept bare tokens too.
        this.json = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    }

    /** The server's base URL as used in messages. */
    public String server() {
        return server;
    }

    public ObjectMapper json() {
        return json;
    }

    /** GET {@code path} (e.g. {@code /api/v1/runs}) and parse the JSON answer. */
    public JsonNode get(String path, Query query) {
        HttpRequest request = request(path + query.encoded(), "application/json").GET().build();
        return parse(request, send(request, HttpResponse.BodyHandlers.ofByteArray()));
    }

    /** POST {@code body} as JSON and parse the JSON answer. */
    public JsonNode post(String path, Object body) {
        HttpRequest request = request(path, "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(jsonBytes(body))).build();
        return parse(request, send(request, HttpResponse.BodyHandlers.ofByteArray()));
    }

    /** {@code method} (DELETE, PATCH…) with {@code body} as JSON (null: no body), and parse the JSON answer. */
    public JsonNode send(String method, String path, Object body) {
        HttpRequest.Builder builder = request(path, "application/json");
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(jsonBytes(body)));
        }
        HttpRequest request = builder.build();
        return parse(request, send(request, HttpResponse.BodyHandlers.ofByteArray()));
    }

    private byte[] jsonBytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the request body as JSON", e);
        }
    }

    /**
     * GET {@code path} and return the open body of a 200 answer whose content type starts with
     * one of {@code mediaTypes}; the caller closes it. Anything else is a {@link ClientFailure}.
     */
    public HttpResponse<InputStream> stream(String path, Query query, String... mediaTypes) {
        return stream(request(path + query.encoded(), String.join(", ", mediaTypes)).GET().build(), mediaTypes);
    }

    /** Like {@link #stream(String, Query, String...)}, POSTing {@code body} as JSON. */
    public HttpResponse<InputStream> streamPost(String path, Object body, String... mediaTypes) {
        return stream(request(path, String.join(", ", mediaTypes))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(jsonBytes(body))).build(), mediaTypes);
    }

    /**
     * True when GET {@code path} with {@code query} has a request line short enough for the
     * proxies commonly in front of the API (nginx refuses request lines over 8 KiB by default);
     * longer selections go by POST.
     */
    public boolean fitsInUrl(String path, Query query) {
        return server.length() + path.length() + query.encoded().length() <= MAX_GET_URL;
    }

    private HttpResponse<InputStream> stream(HttpRequest request, String... mediaTypes) {
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(ERROR_BODY_LIMIT);
            } catch (IOException e) {
                body = new byte[0];
            }
            throw failure(request, response.statusCode(), contentType(response), body);
        }
        String type = contentType(response);
        for (String expected : mediaTypes) {
            if (type.startsWith(expected)) {
                return response;
            }
        }
        try {
            response.body().close();
        } catch (IOException ignored) {
            // Nothing more to read from it.
        }
        throw new ClientFailure(ClientFailure.Kind.BAD_RESPONSE, response.statusCode(),
                describe(request) + " answered with " + (type.isEmpty() ? "no content type" : type)
                        + ", expected " + String.join(" or ", mediaTypes) + "; " + notAthanorHint(), null, null, null);
    }

    private HttpRequest.Builder request(String pathAndQuery, String accept) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server + pathAndQuery))
                .timeout(ANSWER_TIMEOUT)
                .header("Accept", accept)
                .header("User-Agent", "athanor-cli");
        if (token != null && !token.isEmpty()) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("connecting timed out after " + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (HttpTimeoutException e) {
            throw unreachable("no answer to " + describe(request) + " within " + ANSWER_TIMEOUT.toSeconds() + " s", e);
        } catch (ConnectException e) {
            String reason = e.getCause() instanceof UnresolvedAddressException ? "unknown host"
                    : e.getMessage() == null || e.getMessage().isBlank() ? "connection refused" : e.getMessage();
            throw unreachable(reason.toLowerCase(Locale.ROOT), e);
        } catch (SSLException e) {
            throw unreachable("TLS failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable("interrupted", e);
        } catch (IllegalArgumentException e) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, 0, "--server " + server + " is not a usable URL: "
                    + e.getMessage(), null, null, e);
        }
    }

    private ClientFailure unreachable(String reason, Throwable cause) {
        return new ClientFailure(ClientFailure.Kind.UNREACHABLE, 0, "cannot reach the query service at " + server
                + " (" + reason + "); is it running (athanor up)? Point --server or ATHANOR_SERVER at it",
                null, null, cause);
    }

    private JsonNode parse(HttpRequest request, HttpResponse<byte[]> response) {
        String type = contentType(response);
        if (response.statusCode() != 200) {
            throw failure(request, response.statusCode(), type, response.body());
        }
        JsonNode node = readJson(response.body());
        if (node == null || !type.startsWith("application/json")) {
            throw new ClientFailure(ClientFailure.Kind.BAD_RESPONSE, 200, describe(request) + " answered with "
                    + (type.isEmpty() ? "no content type" : type) + " that is not Athanor's JSON ("
                    + excerpt(response.body()) + "); " + notAthanorHint(), null, null, null);
        }
        return node;
    }

    /** Maps an error answer: Athanor's {status, error, message, where, column} body when there is one. */
    private ClientFailure failure(HttpRequest request, int status, String type, byte[] body) {
        JsonNode error = type.startsWith("application/json") ? readJson(body) : null;
        boolean athanorError = error != null && error.hasNonNull("message") && error.hasNonNull("error");
        ClientFailure.Kind kind = switch (status) {
            case 400 -> ClientFailure.Kind.BAD_REQUEST;
            case 404 -> ClientFailure.Kind.NOT_FOUND;
            case 401, 403 -> ClientFailure.Kind.UNAUTHORIZED;
            default -> status >= 500 ? ClientFailure.Kind.SERVER_ERROR : ClientFailure.Kind.BAD_RESPONSE;
        };
        if (!athanorError) {
            String message = switch (kind) {
                case NOT_FOUND -> describe(request) + ": HTTP 404 without an Athanor error body, so the server has no such "
                        + "endpoint; " + notAthanorHint();
                case UNAUTHORIZED -> describe(request) + ": the server refused the request (HTTP " + status
                        + "); " + authAdvice(status);
                default -> describe(request) + ": HTTP " + status + (body.length == 0 ? "" : " (" + excerpt(body) + ")")
                        + (kind == ClientFailure.Kind.SERVER_ERROR ? "" : "; " + notAthanorHint());
            };
            return new ClientFailure(kind, status, message, null, null, null);
        }
        String message = error.get("message").asText();
        if (kind == ClientFailure.Kind.UNAUTHORIZED) {
            message += " (HTTP " + status + "; " + authAdvice(status) + ")";
        }
        Integer column = error.hasNonNull("column") ? error.get("column").asInt() : null;
        String where = error.hasNonNull("where") ? error.get("where").asText() : null;
        return new ClientFailure(kind, status, message, where, column, null);
    }

    /** What to do about a 401 or 403, given where the token came from. */
    private String authAdvice(int status) {
        boolean login = tokenOrigin != null && tokenOrigin.contains("athanor login");
        if (token == null || token.isEmpty()) {
            return "the server needs a token: sign in with athanor login --server " + server
                    + ", or pass a token with --token-file or ATHANOR_TOKEN";
        }
        if (status == 403) {
            return tokenOrigin + " was accepted but lacks the role this needs; ask an admin of the project for "
                    + "the reader (or writer) role";
        }
        return tokenOrigin + " was not accepted (expired, revoked, or issued for another server); "
                + (login ? "sign in again with athanor login --server " + server
                        : "pass a valid token with --token-file or ATHANOR_TOKEN, or sign in with athanor login");
    }

    private JsonNode readJson(byte[] body) {
        try {
            return body.length == 0 ? null : json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private String notAthanorHint() {
        return "is --server (" + server + ") the Athanor query service?";
    }

    private static String describe(HttpRequest request) {
        return request.method() + " " + request.uri();
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip()
                .replaceAll("\\s+", " ");
        return text.isEmpty() ? "an empty body" : "'" + text + (body.length > 200 ? "…" : "") + "'";
    }

    public static String normalize(String server) {
        String s = server.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("/api/v1")) {
            s = s.substring(0, s.length() - "/api/v1".length());
        }
        return s;
    }
}
