package dev.athanor.systemtests.harness;

import dev.athanor.suite.Ports;
import dev.athanor.testing.OptionalPart;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A gRPC load balancer in front of ingest replicas, as an operator puts one (or an Ingress) in
 * front of the StatefulSet: Debian's {@code /usr/sbin/nginx} run as a child process, HTTP/2 on a
 * free 127.0.0.1 port, {@code grpc_pass} to an upstream of the replicas' gRPC addresses with
 * nginx's default policy, round robin per request (each gRPC call is one HTTP/2 request, so
 * consecutive calls of one client go to consecutive replicas). Everything it writes (pid, logs,
 * temp files) stays in its own directory; no root needed.
 *
 * <p>Without nginx the test using it is skipped with a message saying how to install it, except
 * on CI ({@code CI=true}), where a missing nginx fails: CI must not skip silently ({@code .ci/run}
 * installs it when it can).
 */
public final class NginxGrpcBalancer implements AutoCloseable {

    private static final List<String> NGINX = List.of("/usr/sbin/nginx", "/usr/bin/nginx");

    private final Path work;
    private final Process process;
    private final int port;

    private NginxGrpcBalancer(Path work, Process process, int port) {
        this.work = work;
        this.process = process;
        this.port = port;
    }

    /** Debian's nginx binary, when installed. */
    public static Optional<Path> binary() {
        return NGINX.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /**
     * The nginx binary, or skips the calling test (fails it where nginx is required, as on CI:
     * {@link OptionalPart}). Call it before starting anything expensive.
     */
    public static Path requireBinary() {
        return requireBinary(binary());
    }

    static Path requireBinary(Optional<Path> nginx) {
        OptionalPart.NGINX.assumePresent(nginx.isPresent(), () -> "load-balanced upload test skipped: nginx is not "
                + "installed (looked for " + String.join(", ", NGINX)
                + "); install Debian's: apt-get install -y nginx-light (or nginx)");
        return nginx.get();
    }

    /**
     * Writes the configuration for {@code upstreams} (HOST:PORT each) into a new directory under
     * {@code parent}, starts nginx and waits until it accepts connections.
     */
    public static NginxGrpcBalancer start(List<String> upstreams, Path parent) throws IOException, InterruptedException {
        Path nginx = requireBinary();
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("no upstream for nginx");
        }
        Path work = Files.createTempDirectory(Files.createDirectories(parent), "nginx-grpc-").toAbsolutePath();
        int port = Ports.free();
        Files.writeString(work.resolve("nginx.conf"), config(upstreams, port, work));
        Process process = new ProcessBuilder(nginx.toString(), "-p", work.toString(), "-e", work.resolve("error.log").toString(),
                "-c", work.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("stdout.log").toFile()).start();
        NginxGrpcBalancer balancer = new NginxGrpcBalancer(work, process, port);
        try {
            balancer.awaitListening();
        } catch (IOException | RuntimeException | InterruptedException e) {
            balancer.close();
            throw e;
        }
        return balancer;
    }

    /** The configuration: one worker (one round-robin sequence), logs and temp files in {@code work}. */
    static String config(List<String> upstreams, int port, Path work) {
        String servers = upstreams.stream().map(u -> "        server " + u + ";").collect(Collectors.joining("\n"));
        return """
                daemon off;
                master_process on;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events {
                    worker_connections 256;
                }
                http {
                    log_format calls 'method=$uri status=$status grpc_status=$sent_trailer_grpc_status upstream=$upstream_addr';
                    access_log %1$s/access.log calls;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    upstream ingest {
                        # nginx's default policy: round robin, per request (= per gRPC call).
                %2$s
                    }
                    server {
                        listen 127.0.0.1:%3$d http2;
                        # An Upload stream is one request body of any length, open as long as training runs.
                        client_max_body_size 0;
                        client_body_timeout 1h;
                        location / {
                            grpc_pass grpc://ingest;
                            grpc_read_timeout 1h;
                            grpc_send_timeout 1h;
                            # A replica that refuses the connection is skipped for this call.
                            grpc_next_upstream error timeout;
                        }
                    }
                }
                """.formatted(work, servers, port);
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("nginx exited with code " + process.exitValue() + ": " + logs());
            }
            try (Socket socket = new Socket()) {
                // A bare TCP connect: no request, so the round-robin sequence is untouched.
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("nginx did not listen on 127.0.0.1:" + port + " within 20 s: " + logs());
                }
                Thread.sleep(100);
            }
        }
    }

    /** Where uploaders connect: HOST:PORT of nginx. */
    public String endpoint() {
        return "127.0.0.1:" + port;
    }

    /**
     * One gRPC call nginx passed on, from its access log. {@code grpcStatus} is the status the
     * upstream sent in trailers ({@code 0} for OK), {@code -} when it answered trailers-only (as a
     * call refused at once, e.g. UNAVAILABLE from a replica that does not own the run, does).
     */
    public record Call(String method, String upstream, String grpcStatus) {
    }

    /**
     * The calls nginx passed on so far, in the order they ended ({@code /dev.athanor...IngestService/Upload};
     * the upstream names every address tried, comma-separated, when one refused the connection).
     */
    public List<Call> calls() throws IOException {
        Path log = work.resolve("access.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.map(NginxGrpcBalancer::call).toList();
        }
    }

    private static Call call(String line) {
        int method = line.indexOf("method=");
        int status = line.indexOf(" status=");
        int grpc = line.indexOf(" grpc_status=");
        int upstream = line.indexOf(" upstream=");
        return new Call(line.substring(method + "method=".length(), status),
                line.substring(upstream + " upstream=".length()).strip(),
                line.substring(grpc + " grpc_status=".length(), upstream));
    }

    /** nginx's own output and error log, for failure messages. */
    public String logs() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("stdout.log", "error.log")) {
            Path file = work.resolve(name);
            try {
                if (Files.exists(file)) {
                    out.append("\n--- ").append(file).append('\n').append(Files.readString(file));
                }
            } catch (IOException e) {
                out.append("\n(").append(file).append(": ").append(e.getMessage()).append(')');
            }
        }
        return out.toString();
    }

    /** Stops nginx (SIGTERM: fast shutdown, cutting open streams). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
