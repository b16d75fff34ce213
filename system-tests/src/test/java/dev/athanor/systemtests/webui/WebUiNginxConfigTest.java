package dev.athanor.systemtests.webui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.Await;
import dev.athanor.testing.OptionalPart;
import dev.athanor.testing.RepoRoot;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The web UI image's nginx.conf, served by Debian's nginx with the built bundle: every response
 * carries the security headers (nginx drops server-level add_header lines in a location that has
 * its own, which once left index.html without its CSP), only the silent sign-in callback may be
 * framed and only by the app, the app may call and frame the issuer the chart names (a plain-http
 * one too), pages are never cached and hashed assets for a year.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiNginxConfigTest {

    private static final Path CONFIG = RepoRoot.path().resolve("web-ui/nginx.conf");
    private static final String HTTP_ISSUER = "http://keycloak.localtest.me";
    private static final Path BUNDLE = RepoRoot.path().resolve("web-ui/target/classes/META-INF/resources");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path work;
    private Path nginx;
    private int port;

    @BeforeAll
    void start() throws Exception {
        nginx = Stream.of("/usr/sbin/nginx", "/usr/bin/nginx").map(Path::of).filter(Files::isExecutable).findFirst()
                .orElse(null);
        OptionalPart.NGINX.assumePresent(nginx != null,
                "web UI nginx.conf test skipped: Debian's nginx is not installed (apt-get install -y nginx)");
        OptionalPart.NGINX.assumePresent(Files.isRegularFile(BUNDLE.resolve("index.html")),
                "web UI nginx.conf test skipped: the bundle is not built (./mvnw -pl web-ui package)");
        work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "nginx-");
        port = freePort();
        String site = Files.readString(CONFIG)
                .replace("listen 8080;", "listen 127.0.0.1:" + port + ";")
                .replace("/usr/share/nginx/html", BUNDLE.toAbsolutePath().normalize().toString())
                .replace("/etc/nginx/athanor/", work.toAbsolutePath() + "/athanor/");
        Files.writeString(work.resolve("site.conf"), site);
        // What the chart mounts for a plain-http issuer (helm/athanor/templates/web-ui-configmap.yaml).
        Files.createDirectories(work.resolve("athanor"));
        Files.writeString(work.resolve("athanor/issuer-origin.map"), "\"\" \"" + HTTP_ISSUER + "\";\n");
        Files.writeString(work.resolve("nginx.conf"), """
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events {}
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    types { text/html html; text/javascript js; text/css css; }
                    include %1$s/site.conf;
                }
                """.formatted(work.toAbsolutePath()));
        new ProcessBuilder(nginx.toString(), "-p", work.toAbsolutePath().toString(), "-c",
                work.resolve("nginx.conf").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("stdout.log").toFile()).start();
        Await.until(this::startFailure, Duration.ofSeconds(20), Duration.ofMillis(100), this::answers);
    }

    /** What nginx said, for a start that timed out. */
    private String startFailure() {
        try {
            return "nginx to start; it said: " + Files.readString(work.resolve("stdout.log"))
                    + (Files.exists(work.resolve("error.log")) ? Files.readString(work.resolve("error.log")) : "");
        } catch (IOException e) {
            return "nginx to start (its log is unreadable: " + e + ")";
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (work != null && Files.exists(work.resolve("nginx.pid"))) {
            long pid = Long.parseLong(Files.readString(work.resolve("nginx.pid")).trim());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    @Test
    void everyPageCarriesTheSecurityHeadersAndOnlyTheSilentCallbackMayBeFramedByTheApp() throws Exception {
        for (String path : List.of("/", "/index.html", "/some/deep/link", "/silent-callback.html")) {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp).as("CSP of " + path).contains("default-src 'self'")
                    .contains("connect-src 'self' https: " + HTTP_ISSUER + ";").contains("frame-src 'self' https: " + HTTP_ISSUER + ";");
            assertThat(csp).as("frame-ancestors of " + path)
                    .contains(path.equals("/silent-callback.html") ? "frame-ancestors 'self'" : "frame-ancestors 'none'");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(page.headers().firstValue("Referrer-Policy")).as(path).hasValue("same-origin");
            assertThat(page.headers().firstValue("Cache-Control")).as(path).hasValue("no-cache");
        }
        assertThat(get("/silent-callback.html").body()).contains("assets/silent-callback-");
    }

    @Test
    void hashedAssetsAreCachedForAYearWithTheSameSecurityHeaders() throws Exception {
        String script;
        try (Stream<Path> assets = Files.list(BUNDLE.resolve("assets"))) {
            script = assets.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("main-") && n.endsWith(".js"))
                    .findFirst().orElseThrow();
        }
        HttpResponse<String> asset = get("/assets/" + script);
        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(asset.headers().firstValue("Content-Security-Policy").orElse("")).contains("frame-ancestors 'none'");
        assertThat(get("/assets/missing-0000.js").statusCode()).as("no index.html for a missing asset").isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private boolean answers() {
        try {
            get("/healthz");
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
