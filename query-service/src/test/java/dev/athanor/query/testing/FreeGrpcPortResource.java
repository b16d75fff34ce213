package dev.athanor.query.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Puts the data-provider gRPC server on a free loopback port, so tests reach it through a real
 * channel on the port the configuration names (other builds on this machine may hold 9190). Like
 * every {@code @QuarkusTestResource} here it applies to all of the module's Quarkus tests.
 */
public class FreeGrpcPortResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Map.of("athanor.query.data-provider.port", Integer.toString(socket.getLocalPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
