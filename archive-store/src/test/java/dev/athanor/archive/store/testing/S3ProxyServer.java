package dev.athanor.archive.store.testing;

import dev.athanor.archive.store.s3.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server for tests: s3proxy (filesystem backend) in a child JVM on loopback. One per
 * test JVM, started on first use and stopped at exit. The jar is fetched by Maven into target/
 * (system property {@code athanor.test.s3proxy.jar}).
 */
public final class S3ProxyServer {

    public static final String IDENTITY = "athanor-test";
    public static final String CREDENTIAL = "athanor-test-secret";
    public static final String REGION = "us-east-1";

    private static S3ProxyServer instance;

    private final Process process;
    private final URI endpoint;

    private S3ProxyServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    public static synchronized S3ProxyServer instance() {
        if (instance == null) {
            try {
                instance = start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start s3proxy", e);
            }
            S3ProxyServer started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> started.process.destroy()));
        }
        return instance;
    }

    /**
     * A separate server keeping objects on disk under {@code dataDir} (benchmarks with more bytes
     * than a child JVM's heap); the caller stops it.
     */
    public static S3ProxyServer startFilesystemBacked(Path dataDir) throws IOException {
        return start(List.of("jclouds.provider=filesystem", "jclouds.filesystem.basedir=" + dataDir));
    }

    public void stop() {
        process.destroy();
    }

    private static S3ProxyServer start() throws IOException {
        // Objects in the child JVM's memory: fast, and nothing to clean up.
        return start(List.of("jclouds.provider=transient"));
    }

    private static S3ProxyServer start(List<String> backend) throws IOException {
        String jarProperty = System.getProperty("athanor.test.s3proxy.jar");
        if (jarProperty == null || !Files.isRegularFile(Path.of(jarProperty))) {
            throw new IllegalStateException("s3proxy jar not found at " + jarProperty
                    + "; run the tests through Maven (the dependency plugin copies it into target/s3proxy)");
        }
        Path work = Files.createTempDirectory("athanor-s3proxy-");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Path properties = work.resolve("s3proxy.properties");
        List<String> lines = new java.util.ArrayList<>(List.of(
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                "s3proxy.ignore-unknown-headers=true",
                "jclouds.identity=" + IDENTITY,
                "jclouds.credential=" + CREDENTIAL));
        lines.addAll(backend);
        Files.writeString(properties, String.join("\n", lines) + "\n");
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = work.resolve("s3proxy.log");
        Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jarProperty, "--properties", properties.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("s3proxy exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new S3ProxyServer(process, endpoint);
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for s3proxy", e);
                }
            }
        }
        process.destroyForcibly();
        throw new IOException("s3proxy did not listen on " + endpoint + " within 60 s: " + Files.readString(log));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A plain client with the server's credentials (bucket set-up in tests). */
    public S3Client adminClient() {
        return S3Client.builder().endpointOverride(endpoint).region(Region.of(REGION)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public void createBucket(String bucket) {
        try (S3Client s3 = adminClient()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    /**
     * Settings for a bucket on this server: path style, small multipart threshold (5 MiB parts).
     * The cold class is DEEP_ARCHIVE because s3proxy keeps only a coarse tier and reports it back
     * as DEEP_ARCHIVE (GLACIER would come back under another name).
     */
    public S3Settings settings(String bucket, String secret) {
        return new S3Settings(Optional.of(endpoint), REGION, bucket, true, Optional.of(IDENTITY), Optional.of(secret),
                S3Settings.ServerSideEncryption.NONE, Optional.empty(), "STANDARD", "DEEP_ARCHIVE",
                8L * 1024 * 1024, 5L * 1024 * 1024, "Standard");
    }

    public S3Settings settings(String bucket) {
        return settings(bucket, CREDENTIAL);
    }
}
