package dev.athanor.bench.suite;

import java.nio.file.Path;
import java.util.Map;

/**
 * query-service's access log as the benchmarks read it: one line per request with the service's
 * own response time in microseconds, written to {@code <directory>/query-access.log}.
 */
public final class QueryAccessLog {

    /** Access-log pattern: response time in µs, status, request line. */
    public static final String PATTERN = "%{RESPONSE_TIME_MICROS} %s %r";

    private QueryAccessLog() {
    }

    /** The environment that turns the access log on, written under {@code directory}. */
    public static Map<String, String> environment(Path directory) {
        return Map.of(
                "QUARKUS_HTTP_ACCESS_LOG_ENABLED", "true",
                // the access log's response time needs it
                "QUARKUS_HTTP_RECORD_REQUEST_START_TIME", "true",
                "QUARKUS_HTTP_ACCESS_LOG_PATTERN", PATTERN,
                "QUARKUS_HTTP_ACCESS_LOG_LOG_TO_FILE", "true",
                "QUARKUS_HTTP_ACCESS_LOG_LOG_DIRECTORY", directory.toAbsolutePath().toString(),
                "QUARKUS_HTTP_ACCESS_LOG_BASE_FILE_NAME", "query-access");
    }

    /** Where {@link #environment(Path)} has the log written. */
    public static Path file(Path directory) {
        return directory.resolve("query-access.log");
    }
}
