package dev.athanor.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresResource;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Connections that send half an HTTP/2 preface and then nothing (a flood of them exhausted the
 * descriptors before, issue 14) are closed by the server on both ports, and the service answers
 * new callers all along.
 */
@QuarkusTest
@TestProfile(IdleConnectionsTest.ShortIdle.class)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class IdleConnectionsTest {

    static final int CONNECTIONS = 100;

    public static class ShortIdle implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.grpc.server.netty.keep-alive-time", "1S",
                    "athanor.ingest.connections.keep-alive-timeout", "PT1S",
                    "athanor.ingest.connections.max-idle", "PT2S",
                    "quarkus.http.idle-timeout", "2S");
        }
    }

    @GrpcClient("ingest")
    Channel channel;

    @TestHTTPResource("/q/health")
    URI health;

    @Test
    void halfOpenedConnectionsAreClosedOnBothPortsAndTheServiceKeepsAnswering() throws Exception {
        int grpcPort = ConfigProvider.getConfig().getValue("quarkus.grpc.clients.ingest.port", Integer.class);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                sockets.add(halfPreface(grpcPort));
                sockets.add(halfPreface(health.getPort()));
            }
            // Meanwhile both ports answer.
            assertThat(new IngestClient(channel).experiment("while-flooded")).isNotEmpty();
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            long deadline = System.nanoTime() + 20_000_000_000L;
            for (Socket s : sockets) {
                assertThat(closedByServer(s, deadline)).as("connection to port %d closed by the server", s.getPort())
                        .isTrue();
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        assertThat(new IngestClient(channel).experiment("after")).isNotEmpty();
    }

    /** A connection that sends the first half of the HTTP/2 client preface, then nothing. */
    private static Socket halfPreface(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.getOutputStream().write("PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** Reads (and drops what the server sends, such as its SETTINGS or a GOAWAY) until the server closes. */
    private static boolean closedByServer(Socket s, long deadline) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (System.nanoTime() < deadline) {
            s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            try {
                if (in.read(buf) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;  // reset by the server
            }
        }
        return false;
    }
}
