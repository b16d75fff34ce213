package dev.athanor.suite;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loopback ports for a suite started on ports nobody chose (benchmarks; tests). A port is handed
 * out once per JVM: the OS may offer a port again as soon as its probe socket closes, and two
 * services of one suite given the same port would refuse to start.
 */
public final class Ports {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /** A port free right now (the OS's pick) and not handed out before in this JVM. */
    public static int free() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IOException("the OS offered only ports handed out before, 200 times over");
    }

    /** The first of {@code count} consecutive free ports (the local suite's replica i listens on the first + i). */
    public static int freeRun(int count) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = free();
            if (first + count - 1 > 65535) {
                continue;
            }
            boolean allFree = true;
            for (int i = 1; i < count && allFree; i++) {
                allFree = !HANDED_OUT.contains(first + i) && bindable(first + i);
            }
            if (allFree) {
                for (int i = 1; i < count; i++) {
                    HANDED_OUT.add(first + i);
                }
                return first;
            }
        }
        throw new IOException("found no " + count + " consecutive free ports");
    }

    /** Whether {@code port} can be bound on loopback right now (nothing else listens there). */
    public static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
