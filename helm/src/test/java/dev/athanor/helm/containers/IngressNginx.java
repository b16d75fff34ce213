package dev.athanor.helm.containers;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The chart's HTTP Ingress, served by Debian's nginx on this machine the way ingress-nginx routes
 * it: one server per rule host, a location per path (Prefix {@code /api} matches {@code /api} and
 * {@code /api/…}, not {@code /apix}), each proxied to the pod behind the backend Service at the
 * Service port's target port, with the Host and X-Forwarded-* headers ingress-nginx sets, and the
 * two ingress-nginx annotations the chart uses (proxy-body-size, proxy-read-timeout). Any other
 * host gets 404, as from the controller's default backend. TLS is not emulated (the run renders
 * the chart with {@code ingress.tls.enabled=false}).
 */
final class IngressNginx implements AutoCloseable {

    private static final String ANNOTATIONS = "nginx.ingress.kubernetes.io/";

    /** Where a Service's traffic goes on this machine: the address of the one pod behind it, and that pod. */
    record Backend(String podIp, PodSpec pod) {
    }

    private final Process process;
    private final Path dir;

    private IngressNginx(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    static Optional<Path> executable() {
        return Stream.of("/usr/sbin/nginx", "/usr/bin/nginx").map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** Starts nginx with a {@link #configuration} for 127.0.0.1:{@code port} and waits until it listens. */
    static IngressNginx start(Path nginx, Path dir, String configuration, int port) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, configuration);
        Process process = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        IngressNginx started = new IngressNginx(process, dir);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!listens(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                started.close();
                throw new IllegalStateException("nginx (the Ingress) did not start: " + Files.readString(dir.resolve("nginx.out"))
                        + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
            }
            Thread.sleep(100);
        }
        return started;
    }

    /** The nginx configuration serving {@code ingress}'s rules on 127.0.0.1:{@code port}, files under {@code dir}. */
    static String configuration(Ingress ingress, Map<String, Service> services, Map<String, Backend> backends, int port, Path dir) {
        if (ingress.getSpec().getTls() != null && !ingress.getSpec().getTls().isEmpty()) {
            throw new IllegalArgumentException("Ingress " + ingress.getMetadata().getName() + " asks for TLS, which is not emulated");
        }
        Map<String, String> annotations = ingress.getMetadata().getAnnotations() == null ? Map.of() : ingress.getMetadata().getAnnotations();
        StringBuilder conf = new StringBuilder();
        conf.append("""
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log notice;
                events {}
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen 127.0.0.1:%2$d default_server;
                        return 404;
                    }
                """.formatted(dir, port));
        for (IngressRule rule : ingress.getSpec().getRules()) {
            conf.append("    server {\n")
                    .append("        listen 127.0.0.1:").append(port).append(";\n")
                    .append("        server_name ").append(rule.getHost()).append(";\n")
                    // ingress-nginx's defaults where the chart sets no annotation.
                    .append("        client_max_body_size ").append(annotations.getOrDefault(ANNOTATIONS + "proxy-body-size", "1m")).append(";\n")
                    .append("        proxy_read_timeout ").append(annotations.getOrDefault(ANNOTATIONS + "proxy-read-timeout", "60")).append("s;\n")
                    .append("        proxy_http_version 1.1;\n")
                    .append("        proxy_set_header Host $host;\n")
                    .append("        proxy_set_header X-Real-IP $remote_addr;\n")
                    .append("        proxy_set_header X-Forwarded-For $remote_addr;\n")
                    .append("        proxy_set_header X-Forwarded-Host $host;\n")
                    .append("        proxy_set_header X-Forwarded-Port $server_port;\n")
                    .append("        proxy_set_header X-Forwarded-Proto $scheme;\n");
            for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                String target = "http://" + address(path.getBackend().getService(), services, backends);
                for (String location : locations(path)) {
                    conf.append("        location ").append(location).append(" { proxy_pass ").append(target).append("; }\n");
                }
            }
            conf.append("    }\n");
        }
        return conf.append("}\n").toString();
    }

    /** nginx locations matching exactly what the Ingress path matches. */
    private static List<String> locations(HTTPIngressPath path) {
        String p = path.getPath();
        if ("Exact".equals(path.getPathType())) {
            return List.of("= " + p);
        }
        // Prefix (and ImplementationSpecific, which ingress-nginx treats as a prefix): by path element.
        String trimmed = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        return trimmed.isEmpty() ? List.of("/") : List.of("= " + trimmed, trimmed + "/");
    }

    /** The pod address and container port a Service backend reaches: the Service port's target port, by number or name. */
    private static String address(IngressServiceBackend backend, Map<String, Service> services, Map<String, Backend> backends) {
        Service service = services.get(backend.getName());
        Backend pod = backends.get(backend.getName());
        if (service == null || pod == null) {
            throw new IllegalStateException("the Ingress names Service " + backend.getName() + ", which the run does not serve");
        }
        ServicePort port = service.getSpec().getPorts().stream()
                .filter(p -> backend.getPort().getName() != null ? backend.getPort().getName().equals(p.getName())
                        : backend.getPort().getNumber().equals(p.getPort()))
                .findFirst().orElseThrow(() -> new IllegalStateException("Service " + backend.getName() + " has no port " + backend.getPort()));
        IntOrString target = port.getTargetPort() == null ? new IntOrString(port.getPort()) : port.getTargetPort();
        int number = target.getIntVal() != null ? target.getIntVal() : pod.pod().getContainers().stream()
                .flatMap(c -> c.getPorts().stream())
                .filter(p -> target.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow(() -> new IllegalStateException("no container port named " + target.getStrVal()
                        + " behind Service " + backend.getName()));
        return pod.podIp() + ":" + number;
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** nginx's access log: which requests the Ingress proxied. */
    String accessLog() throws IOException {
        Path log = dir.resolve("access.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
