package dev.athanor.ingest.health;

import dev.athanor.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: DOWN, with the reason, while the hot root's disk is (nearly) full or the process is
 * close to its open-file limit, so load balancers send uploads to replicas that can take them; UP
 * again by itself once there is room. Liveness is not touched: restarting would not free the disk.
 */
@Readiness
@ApplicationScoped
public class WriteHeadroomCheck implements HealthCheck {

    private final IngestConfig config;

    public WriteHeadroomCheck(IngestConfig config) {
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("write-headroom");
        Headroom headroom;
        try {
            headroom = measure();
        } catch (IOException e) {
            return response.down().withData("reason", "cannot read the free space of " + config.hotRoot() + ": " + e)
                    .build();
        }
        var shortages = headroom.shortages(config.health().minFreeBytes(), config.health().maxOpenFilesShare());
        response.withData("usableBytes", headroom.usableBytes())
                .withData("openFiles", headroom.openFiles())
                .withData("maxOpenFiles", headroom.maxOpenFiles());
        if (shortages.isEmpty()) {
            return response.up().build();
        }
        return response.down().withData("reason", String.join("; ", shortages)).build();
    }

    private Headroom measure() throws IOException {
        Files.createDirectories(config.hotRoot());
        long usable = Files.getFileStore(config.hotRoot()).getUsableSpace();
        return new Headroom(usable, FileDescriptors.open(), FileDescriptors.max());
    }
}
