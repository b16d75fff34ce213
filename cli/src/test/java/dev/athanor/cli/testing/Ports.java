package dev.athanor.cli.testing;

import java.io.IOException;
import java.net.ServerSocket;

/** Free local ports for the services a test starts. */
public final class Ports {

    private Ports() {
    }

    /** A port free right now (the OS's pick). */
    public static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
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
                try (ServerSocket ignored = new ServerSocket(first + i)) {
                    // free
                } catch (IOException taken) {
                    allFree = false;
                }
            }
            if (allFree) {
                return first;
            }
        }
        throw new IOException("found no " + count + " consecutive free ports");
    }
}
