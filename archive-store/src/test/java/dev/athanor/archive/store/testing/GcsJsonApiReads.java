package dev.athanor.archive.store.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.athanor.archive.store.Crc32c;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The read half of GCS's JSON API (object metadata, listings by prefix, media downloads with a Range) on loopback, for
 * a test that the GCS client really talks HTTP from a service's classpath — the in-process double
 * the contract suite uses replaces the whole RPC layer, so it cannot show that. Objects are put in
 * directly; what the client asked for is kept in {@link #requests()}.
 */
public final class GcsJsonApiReads implements AutoCloseable {

    private static final Pattern OBJECT = Pattern.compile("^(?:/download)?/storage/v1/b/([^/]+)/o/(.+)$");
    private static final Pattern LIST = Pattern.compile("^/storage/v1/b/([^/]+)/o$");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final HttpServer server;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    /** Bytes served instead of an object's own (metadata still describes the object as put). */
    private final Map<String, byte[]> servedInstead = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private GcsJsonApiReads(HttpServer server) {
        this.server = server;
    }

    public static GcsJsonApiReads start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        GcsJsonApiReads api = new GcsJsonApiReads(server);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    /** What {@code athanor.archive.gcs.host} is set to. */
    public String host() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void put(String bucket, String key, byte[] content) {
        objects.put(bucket + "/" + key, content.clone());
    }

    /** Serves {@code served} for the object from now on while its metadata still describes what was put: damage in transit. */
    public void serveInstead(String bucket, String key, byte[] served) {
        servedInstead.put(bucket + "/" + key, served.clone());
    }

    /** Method and path of every request, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            requests.add(exchange.getRequestMethod() + " " + uri.getRawPath());
            Matcher list = LIST.matcher(uri.getRawPath());
            if ("GET".equals(exchange.getRequestMethod()) && list.matches()) {
                list(exchange, list.group(1), uri.getRawQuery());
                return;
            }
            Matcher m = OBJECT.matcher(uri.getRawPath());
            if (!"GET".equals(exchange.getRequestMethod()) || !m.matches()) {
                send(exchange, 501, "application/json", "{\"error\":{\"code\":501,\"message\":\"not in this double\"}}");
                return;
            }
            String bucket = m.group(1);
            String name = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
            byte[] content = objects.get(bucket + "/" + name);
            if (content == null) {
                send(exchange, 404, "application/json", "{\"error\":{\"code\":404,\"message\":\"No such object: "
                        + bucket + "/" + name + "\"}}");
                return;
            }
            String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
            if (query.contains("alt=media")) {
                media(exchange, servedInstead.getOrDefault(bucket + "/" + name, content));
            } else {
                send(exchange, 200, "application/json", metadata(bucket, name, content));
            }
        }
    }

    /** One page holding every object of the bucket whose name starts with the query's prefix. */
    private void list(HttpExchange exchange, String bucket, String rawQuery) throws IOException {
        String prefix = "";
        for (String parameter : (rawQuery == null ? "" : rawQuery).split("&")) {
            if (parameter.startsWith("prefix=")) {
                prefix = URLDecoder.decode(parameter.substring("prefix=".length()), StandardCharsets.UTF_8);
            }
        }
        String start = bucket + "/" + prefix;
        List<String> items = objects.entrySet().stream().filter(e -> e.getKey().startsWith(start))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> metadata(bucket, e.getKey().substring(bucket.length() + 1), e.getValue())).toList();
        send(exchange, 200, "application/json", "{\"kind\":\"storage#objects\",\"items\":[" + String.join(",", items)
                + "]}");
    }

    private static String metadata(String bucket, String name, byte[] content) {
        return """
                {"kind":"storage#object","bucket":"%s","name":"%s","generation":"1","metageneration":"1",
                 "size":"%d","crc32c":"%s","storageClass":"STANDARD","updated":"2026-12-06T00:00:00.000Z"}"""
                .formatted(bucket, name, content.length, Crc32c.toBase64(Crc32c.of(content).crc32c()));
    }

    private static void media(HttpExchange exchange, byte[] content) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m == null || !m.matches()) {
            exchange.getResponseHeaders().set("x-goog-generation", "1");
            sendBytes(exchange, 200, content, 0, content.length);
            return;
        }
        int from = Math.toIntExact(Long.parseLong(m.group(1)));
        int to = m.group(2).isEmpty() ? content.length - 1 : (int) Math.min(content.length - 1, Long.parseLong(m.group(2)));
        if (from >= content.length) {
            send(exchange, 416, "application/json", "{\"error\":{\"code\":416,\"message\":\"range not satisfiable\"}}");
            return;
        }
        exchange.getResponseHeaders().set("x-goog-generation", "1");
        exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + content.length);
        sendBytes(exchange, 206, content, from, to - from + 1);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        sendBytes(exchange, status, bytes, 0, bytes.length);
    }

    private static void sendBytes(HttpExchange exchange, int status, byte[] bytes, int offset, int length)
            throws IOException {
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes, offset, length);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
