package dev.athanor.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void aPortIsHandedOutOncePerJvm() throws Exception {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            assertThat(seen.add(Ports.free())).as("port handed out twice").isTrue();
        }
    }

    @Test
    void aRunIsConsecutiveBindableAndNotHandedOutAgain() throws Exception {
        int first = Ports.freeRun(4);
        for (int i = 0; i < 4; i++) {
            assertThat(Ports.bindable(first + i)).isTrue();
        }
        for (int i = 0; i < 300; i++) {
            int port = Ports.free();
            assertThat(port < first || port > first + 3).as("port %d inside the run %d..%d", port, first, first + 3).isTrue();
        }
    }

    @Test
    void aPortSomeoneListensOnIsNotBindable() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(Ports.bindable(taken.getLocalPort())).isFalse();
        }
    }
}
