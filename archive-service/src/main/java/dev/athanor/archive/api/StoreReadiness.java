package dev.athanor.archive.api;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while the store cannot be used (missing bucket, wrong credentials, unreachable). */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {

    private final ObjectStore store;

    public StoreReadiness(ObjectStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            store.checkAccess();
            return HealthCheckResponse.named("archive-store").up().withData("location", store.location()).build();
        } catch (StoreException e) {
            return HealthCheckResponse.named("archive-store").down().withData("location", store.location())
                    .withData("reason", e.reason().name()).withData("error", e.getMessage()).build();
        }
    }
}
