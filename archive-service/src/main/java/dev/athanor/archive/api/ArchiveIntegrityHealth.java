package dev.athanor.archive.api;

import dev.athanor.archive.scrub.ScrubCatalog;
import dev.athanor.archive.scrub.Scrubber;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * DOWN while this worker's scrub has found damaged copies that are not repaired yet. A health group of its
 * own ({@code /q/health/group/archive-integrity}), not readiness or liveness: damage must page a
 * person, not take the pod out of service or restart it.
 */
@HealthGroup("archive-integrity")
@ApplicationScoped
public class ArchiveIntegrityHealth implements HealthCheck {

    private final ScrubCatalog catalog;
    private final Scrubber scrubber;

    public ArchiveIntegrityHealth(ScrubCatalog catalog, Scrubber scrubber) {
        this.catalog = catalog;
        this.scrubber = scrubber;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            long open = catalog.openDamage(Optional.of(scrubber.scope()));
            return HealthCheckResponse.named("archive-damage").status(open == 0).withData("openDamage", open)
                    .withData("scope", scrubber.scope())
                    .withData("listing", "/api/v1/archive/damage").build();
        } catch (SQLException e) {
            return HealthCheckResponse.named("archive-damage").down().withData("error", e.getMessage()).build();
        }
    }
}
