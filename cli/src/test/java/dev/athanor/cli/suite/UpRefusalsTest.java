package dev.athanor.cli.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.athanor.cli.testing.Cli;
import dev.athanor.suite.Ports;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What {@code athanor up} refuses before it starts anything (the settings themselves: suite-launcher's LocalSuiteSettingsTest). */
class UpRefusalsTest {

    @Test
    void upRefusesABadReplicaCountOrCollidingPortsBeforeStartingAnything() {
        Cli.Outcome zero = Cli.run("up", "--ingest-replicas", "0", "--home", "/nonexistent/athanor-test");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.stderr()).contains("--ingest-replicas: the number of ingest replicas must be 1-16, got 0");

        Cli.Outcome clash = Cli.run("up", "--ingest-replicas", "2", "--ingest-port", "8079", "--query-port", "8080",
                "--home", "/nonexistent/athanor-test");
        assertThat(clash.exitCode()).isEqualTo(2);
        assertThat(clash.stderr()).contains("ingest replica 1 HTTP and query-service would both use port 8080");

        Cli.Outcome dataProvider = Cli.run("up", "--data-provider-port", "8080", "--home", "/nonexistent/athanor-test");
        assertThat(dataProvider.exitCode()).isEqualTo(2);
        assertThat(dataProvider.stderr()).contains("query-service data provider and query-service would both use port 8080")
                .contains("--data-provider-port");
    }

    @Test
    void upRunTwiceSaysASuiteIsAlreadyRunningInsteadOfFailingHalfWay() throws Exception {
        HttpServer running = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        running.createContext("/api/v1/info", exchange -> {
            byte[] body = "{\"service\":\"athanor-query-service\",\"version\":\"x\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        running.start();
        try {
            int queryPort = running.getAddress().getPort();
            Cli.Outcome again = Cli.run(up(queryPort));
            assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
            assertThat(again.stderr()).contains("a suite is already running")
                    .contains("http://127.0.0.1:" + queryPort + "/api/v1").doesNotContain("Exception");
        } finally {
            running.stop(0);
        }
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Outcome taken = Cli.run(up(other.getLocalPort()));
            assertThat(taken.exitCode()).as(taken.toString()).isEqualTo(1);
            assertThat(taken.stderr()).contains("port " + other.getLocalPort() + " (for the query-service) is in use by"
                    + " another program").doesNotContain("Exception");
        }
    }

    /** {@code athanor up} with free ports except the REST one; nothing may be started. */
    private static String[] up(int queryPort) throws Exception {
        return new String[] {"up", "--query-port", Integer.toString(queryPort),
            "--pg-port", Integer.toString(Ports.free()), "--data-provider-port", Integer.toString(Ports.free()),
            "--ingest-port", Integer.toString(Ports.free()), "--grpc-port", Integer.toString(Ports.free()),
            "--home", "/nonexistent/athanor-test"};
    }
}
