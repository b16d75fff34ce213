package dev.athanor.systemtests.harness;

import dev.athanor.archive.store.testing.S3ProxyServer;
import dev.athanor.suite.LocalSuite;
import dev.athanor.suite.ServiceProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** What end-to-end tests start beside a local suite for its archive: an s3proxy bucket's settings, archive-service. */
public final class ArchiveServices {

    private ArchiveServices() {
    }

    /**
     * The settings of an s3proxy bucket as the services read them, under {@code variablePrefix}:
     * {@code ATHANOR_ARCHIVE_} for a suite's own store, {@code ATHANOR_ARCHIVE_REPLICAS_<NAME>_}
     * for a replication destination.
     */
    public static Map<String, String> s3Store(S3ProxyServer s3, String bucket, String variablePrefix) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(variablePrefix + "STORE_KIND", "s3");
        env.put(variablePrefix + "S3_BUCKET", bucket);
        env.put(variablePrefix + "S3_ENDPOINT", s3.endpoint().toString());
        env.put(variablePrefix + "S3_PATH_STYLE", "true");
        env.put(variablePrefix + "S3_REGION", S3ProxyServer.REGION);
        env.put(variablePrefix + "S3_ACCESS_KEY_ID", S3ProxyServer.IDENTITY);
        env.put(variablePrefix + "S3_SECRET_ACCESS_KEY", S3ProxyServer.CREDENTIAL);
        // s3proxy keeps only a coarse tier and reports DEEP_ARCHIVE back (docs/archive.md).
        env.put(variablePrefix + "S3_COLD_CLASS", "DEEP_ARCHIVE");
        return env;
    }

    /**
     * Starts archive-service from its built jar beside the suite's ingest (its hot root and
     * database), with the periodic loop off (tests ask for passes), and waits until it is ready.
     */
    public static ServiceProcess start(LocalSuite suite, Map<String, String> environment, int port)
            throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", suite.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("ATHANOR_ARCHIVE_HOT_ROOT", suite.settings().hotRoot().toString());
        env.put("ATHANOR_ARCHIVE_TIERING_ENABLED", "false");
        ServiceProcess archive = ServiceProcess.start("archive-service", suite.settings().javaHome(),
                suite.settings().repo().resolve("archive-service/target/quarkus-app/quarkus-run.jar"), port, env,
                suite.settings().logs());
        try {
            archive.awaitReady(Duration.ofMinutes(3));
            return archive;
        } catch (IOException | InterruptedException | RuntimeException e) {
            archive.close();
            throw e;
        }
    }
}
