package dev.athanor.helm.containers;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What the chart expects outside the cluster, on this machine and reachable from the pods' network
 * (every address, free ports): PostgreSQL (embedded binaries) with a password-checked role for
 * non-local clients, and s3proxy on a filesystem bucket, so the test sees the archived objects.
 */
final class HostServices {

    private HostServices() {
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PostgreSQL listening on every address; pods connect as {@code user} with a password. */
    record Postgres(EmbeddedPostgres server, int port) implements AutoCloseable {
        static Postgres start(Path dir, String database, String user, String password) throws IOException, SQLException {
            Path hba = dir.resolve("pg_hba.conf");
            Files.createDirectories(dir);
            Files.writeString(hba, String.join("\n",
                    "local all all trust",
                    "host all all 127.0.0.1/32 trust",
                    "host all all ::1/128 trust",
                    "host all all 0.0.0.0/0 scram-sha-256", ""));
            int port = freePort();
            EmbeddedPostgres server = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("data"))
                    .setCleanDataDirectory(true).setPort(port)
                    .setServerConfig("listen_addresses", "*")
                    .setServerConfig("hba_file", hba.toString())
                    .start();
            try (Connection connection = server.getPostgresDatabase().getConnection();
                 Statement sql = connection.createStatement()) {
                sql.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + password + "'");
                sql.execute("CREATE DATABASE " + database + " OWNER " + user);
            }
            return new Postgres(server, port);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** s3proxy (child JVM) serving folders under {@code root} as buckets, with signed requests. */
    record S3Proxy(Process process, int port, Path root) implements AutoCloseable {
        static final String IDENTITY = "athanor-containers";
        static final String CREDENTIAL = "athanor-containers-secret";

        static S3Proxy start(Path dir, String bucket) throws IOException, InterruptedException {
            String jar = System.getProperty("athanor.test.s3proxy.jar");
            if (jar == null || !Files.isRegularFile(Path.of(jar))) {
                throw new IllegalStateException("s3proxy jar not found at " + jar + "; run the tests through Maven");
            }
            Path root = dir.resolve("buckets");
            Files.createDirectories(root.resolve(bucket));
            int port = freePort();
            Path properties = dir.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://0.0.0.0:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + IDENTITY,
                    "s3proxy.credential=" + CREDENTIAL,
                    "s3proxy.ignore-unknown-headers=true",
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + root,
                    "jclouds.identity=" + IDENTITY,
                    "jclouds.credential=" + CREDENTIAL, ""));
            String java = ProcessHandle.current().info().command().orElse("java");
            Path log = dir.resolve("s3proxy.log");
            Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar, "--properties", properties.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("s3proxy exited with " + process.exitValue() + ": " + Files.readString(log));
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return new S3Proxy(process, port, root);
                } catch (IOException notYet) {
                    Thread.sleep(200);
                }
            }
            process.destroyForcibly();
            throw new IOException("s3proxy did not listen on " + port + " within 60 s: " + Files.readString(log));
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
