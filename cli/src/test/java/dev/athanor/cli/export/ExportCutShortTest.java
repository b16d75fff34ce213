package dev.athanor.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.athanor.cli.testing.Cli;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export whose stream breaks mid-way (the server dies, the connection drops): the real service
 * cannot be made to do that on cue, so a JDK HTTP server promises more bytes than it sends.
 */
class ExportCutShortTest {

    private static final String LINES = "{\"run\":\"a\",\"tag\":\"loss\",\"step\":0}\n{\"run\":\"a\",\"tag\":\"loss\",\"step\":1}\n";

    @TempDir
    Path temp;

    private HttpServer http;

    @BeforeEach
    void breakingServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/api/v1/experiments", exchange -> {
            byte[] body = "{\"items\":[{\"id\":1,\"project\":\"default\",\"name\":\"x\"}],\"total\":1}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.createContext("/api/v1/export", exchange -> {
            byte[] body = LINES.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, body.length + 10_000);
            OutputStream out = exchange.getResponseBody();
            out.write(body);
            out.flush();
            // Closing short of the announced length drops the connection.
            exchange.close();
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    @Test
    void exitsOneAndKeepsThePartialOutputBesideTheTarget() throws IOException {
        Path file = temp.resolve("x.jsonl");
        Cli.Outcome outcome = Cli.run("export", "--experiment", "x", "-o", file.toString(),
                "--server", "http://127.0.0.1:" + http.getAddress().getPort());
        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(1);
        assertThat(outcome.stderr()).startsWith("athanor export: the export was cut short after " + LINES.length() + " B (2 lines): the server or "
                + "the connection failed (")
                .contains("the partial output is kept in " + file + ".part");
        assertThat(file).doesNotExist();
        assertThat(Files.readString(temp.resolve("x.jsonl.part"))).isEqualTo(LINES);
    }
}
