package dev.athanor.archive.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.archive.catalog.ArchiveCatalog;
import dev.athanor.archive.layout.ArchiveLayout;
import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.fs.FilesystemObjectStore;
import dev.athanor.archive.testing.HotLog;
import dev.athanor.archive.tiering.ArchiveMetrics;
import dev.athanor.archive.tiering.Backoff;
import dev.athanor.archive.tiering.PassSummary;
import dev.athanor.archive.tiering.TieringSettings;
import dev.athanor.archive.tiering.TieringWorker;
import dev.athanor.archive.tiering.VerifyMode;
import dev.athanor.archive.tiering.WorkerLock;
import dev.athanor.index.testing.TestPostgres;
import dev.athanor.rawlog.HotRoot;
import dev.athanor.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-project lifecycle: cold-after and size from the project's policy, legal hold, retention with audit rows. */
class ProjectPolicyTest {

    @TempDir
    Path tmp;

    DataSource db;
    HotLog hot;
    MutableClock clock;
    FilesystemObjectStore store;
    PolicyStore policies;
    String project;

    @BeforeEach
    void setUp() throws Exception {
        db = TestPostgres.migratedDataSource();
        String id = UUID.randomUUID().toString().substring(0, 8);
        project = "p-" + id;
        hot = new HotLog(db, Files.createDirectories(tmp.resolve("hot")), "node-" + id, project);
        clock = new MutableClock();
        store = new FilesystemObjectStore(Files.createDirectories(tmp.resolve("archive")));
        policies = new PolicyStore(db);
    }

    private TieringWorker worker() {
        // No service-wide cold-after: only project policies move copies to the cold tier.
        TieringSettings settings = new TieringSettings(100, Duration.ZERO, true, Duration.ZERO, Optional.empty(),
                VerifyMode.AUTO, new Backoff(Duration.ofMinutes(1), Duration.ofHours(1)),
                new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10)));
        return new TieringWorker(store, new ArchiveCatalog(db, "primary", Optional.of(hot.node()), clock),
                new ArchiveLayout("athanor"), new HotRoot(hot.hotRoot()), new WorkerLock(db, "primary/" + hot.node()),
                new ArchiveMetrics(new SimpleMeterRegistry()), settings, clock);
    }

    private long count(String sql, Object... args) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aProjectPolicyMovesLargeEnoughCopiesToTheColdTier() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        HotLog.Segment small = hot.segment(run, 1);
        HotLog.Segment large = hot.segment(run, 200);
        assertThat(policies.put(project, Optional.of(Duration.ofMinutes(30)), Optional.of((long) small.bytes().length + 1),
                false, Optional.empty(), "test")).isTrue();

        PassSummary pass = worker().tick();

        assertThat(pass.archived()).isEqualTo(2);
        assertThat(pass.cooled()).isEqualTo(1);
        assertThat(store.head("athanor/" + large.relativePath()).map(ObjectInfo::tier)).contains(StorageTier.COLD);
        assertThat(store.head("athanor/" + small.relativePath()).map(ObjectInfo::tier)).contains(StorageTier.WARM);
        ProjectPolicy read = policies.get(project).orElseThrow();
        assertThat(read.coldAfter()).isEqualTo("PT30M");
        assertThat(read.updatedBy()).isEqualTo("test");
    }

    @Test
    void retentionDeletesExpiredRunsWithAnAuditRowAndLegalHoldBlocksIt() throws Exception {
        HotLog.Run old = hot.run("old", "FINISHED");
        HotLog.Segment archived = hot.segment(old, 10);
        HotLog.Run running = hot.run("live", "RUNNING");
        hot.segment(running, 10);
        worker().tick();
        assertThat(archived.file()).doesNotExist();
        String key = "athanor/" + archived.relativePath();
        assertThat(store.head(key)).isPresent();

        // Under legal hold nothing goes, however old.
        policies.put(project, Optional.empty(), Optional.empty(), true, Optional.of(Duration.ofMinutes(10)), "test");
        assertThat(worker().tick().deletedRuns()).isZero();
        assertThat(store.head(key)).isPresent();
        assertThat(count("SELECT count(*) FROM run WHERE id = ?", old.id())).isOne();

        // Hold lifted: the finished run (ended an hour ago) is past a 10-minute retention; the running one stays.
        policies.put(project, Optional.empty(), Optional.empty(), false, Optional.of(Duration.ofMinutes(10)), "test");
        assertThat(worker().tick().deletedRuns()).isEqualTo(1);
        assertThat(store.head(key)).isEmpty();
        assertThat(count("SELECT count(*) FROM run WHERE id = ?", old.id())).isZero();
        assertThat(count("SELECT count(*) FROM run WHERE id = ?", running.id())).isOne();
        assertThat(hot.hotRoot().resolve(old.relativeDir())).doesNotExist();

        var audit = policies.deletions(project, 10);
        assertThat(audit).hasSize(1);
        Map<String, Object> row = audit.getFirst();
        assertThat(row).containsEntry("run_path", "old").containsEntry("object_key", key)
                .containsEntry("segment_path", archived.relativePath()).containsEntry("reason", "RETENTION")
                .containsEntry("store", "primary");
        assertThat(((Number) row.get("size_bytes")).longValue()).isEqualTo(archived.bytes().length);
        assertThat((String) row.get("deleted_by")).startsWith("archive-service/primary/");
    }

    @Test
    void withoutAPolicyNothingIsDeletedOrCooled() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        hot.segment(run, 10);
        PassSummary pass = worker().tick();
        assertThat(pass.cooled()).isZero();
        assertThat(pass.deletedRuns()).isZero();
        assertThat(policies.get(project)).isEmpty();
        assertThat(policies.put("no-such-project", Optional.empty(), Optional.empty(), false, Optional.empty(), "t"))
                .isFalse();
    }
}
