package dev.athanor.query.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.gcs.GcsObjectStore;
import dev.athanor.archive.store.gcs.GcsSettings;
import dev.athanor.query.archive.store.ArchiveStoreHolder;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Vetoed;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import io.smallrye.config.SmallRyeConfig;
import dev.athanor.query.config.ArchiveStoreConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An archived run's image served by query-service from a GCS archive: the object lives only in
 * google-cloud-nio's in-process GCS double (the one archive-store's contract suite uses), reached
 * through the real google-cloud-storage client on this service's classpath. That the configured
 * client speaks HTTP from here is {@code GcsOverHttpInServiceTest}'s part.
 */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class GcsArchivedImageResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    QueryConfig config;

    private ArchiveStoreHolder gcs;

    /**
     * The holder a {@code store.kind=gcs} configuration would give, its store on the in-process double;
     * the catalog's store name stays the configured one. Vetoed, as it would inherit the holder's bean
     * scope; installed as a mock per test.
     */
    @Vetoed
    private static final class GcsArchive extends ArchiveStoreHolder {
        private final GcsObjectStore store = new GcsObjectStore(LocalStorageHelper.getOptions().getService(),
                new GcsSettings("athanor-query", Optional.empty(), Optional.empty(), Optional.empty(), "STANDARD",
                        "ARCHIVE", 256 * 1024));

        GcsArchive() {
            super(ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(ArchiveStoreConfig.class));
        }

        @Override
        public ObjectStore get() {
            return store;
        }
    }

    @BeforeEach
    void archiveOnGcs() {
        gcs = new GcsArchive();
        QuarkusMock.installMockForType(gcs, ArchiveStoreHolder.class);
    }

    @Test
    void anImageWhoseSegmentOnlyGcsHoldsIsServed() throws Exception {
        ArchivedRuns runs = new ArchivedRuns(dataSource, config, gcs);
        ArchivedRuns.Indexed run = runs.index("gcs");
        byte[] hot = ArchivedRuns.imageBytes(run.runId());
        runs.archive(run, StorageTier.WARM);
        assertThat(run.segment().file()).doesNotExist();
        assertThat(gcs.get().list("athanor/")).hasSize(1);

        byte[] archived = ArchivedRuns.imageBytes(run.runId());
        assertThat(archived).isEqualTo(hot).hasSizeGreaterThan(100);
    }

    @Test
    void aColdCopyOnGcsIsReadAtOnceWithoutARestore() throws Exception {
        ArchivedRuns runs = new ArchivedRuns(dataSource, config, gcs);
        ArchivedRuns.Indexed run = runs.index("gcs-cold");
        byte[] hot = ArchivedRuns.imageBytes(run.runId());
        runs.archive(run, StorageTier.COLD);
        assertThat(gcs.get().list("athanor/exp-")).anyMatch(o -> o.tier() == StorageTier.COLD);

        assertThat(ArchivedRuns.imageBytes(run.runId())).isEqualTo(hot);
    }
}
