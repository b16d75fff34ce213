package dev.athanor.query.alerts;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A webhook receiver on loopback (the JDK's HTTP server) that keeps every call and answers a settable status. */
final class WebhookReceiver implements AutoCloseable {

    record Call(String path, String body, Map<String, String> headers, int answered) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            int answer = status.get();
            String path = exchange.getRequestURI().getPath();
            synchronized (calls) {
                calls.add(new Call(path, body, headers, answer));
            }
            CountDownLatch hold = held.get(path);
            if (hold != null) {
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool()); // a held call must not hold back the others
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Calls on {@code path} are recorded on arrival but answered only once the returned latch is counted down. */
    CountDownLatch hold(String path) {
        CountDownLatch latch = new CountDownLatch(1);
        held.put(path, latch);
        return latch;
    }

    void answer(int httpStatus) {
        status.set(httpStatus);
    }

    /** Calls received on a path, in order. */
    List<Call> calls(String path) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.path().equals(path)).toList();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
