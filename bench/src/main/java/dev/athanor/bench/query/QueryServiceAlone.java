package dev.athanor.bench.query;

import dev.athanor.suite.Ports;
import dev.athanor.suite.ServiceProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The packaged query-service alone in its own JVM (512 MiB of heap) on a free port, over a
 * PostgreSQL the benchmark filled itself; started with suite-launcher's {@link ServiceProcess}.
 */
final class QueryServiceAlone {

    private QueryServiceAlone() {
    }

    /** Starts the service with {@code env} added and waits until it is ready; its log is {@code logDirectory/query-service.log}. */
    static ServiceProcess start(Path serviceJar, String jdbcUrl, Map<String, String> env, Path logDirectory)
            throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        all.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        all.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        all.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        all.put("ATHANOR_QUERY_DATA_PROVIDER_PORT", "0"); // unused here; 9190 may be a running suite's
        all.put("QUARKUS_LOG_LEVEL", "WARN");
        all.putAll(env);
        ServiceProcess service = ServiceProcess.start("query-service", Path.of(System.getProperty("java.home")),
                serviceJar, Ports.free(), all, logDirectory, ServiceProcess.Jvm.DEFAULT.withMaxHeap("512m"));
        try {
            service.awaitReady(Duration.ofSeconds(120));
        } catch (IOException | InterruptedException | RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }
}
