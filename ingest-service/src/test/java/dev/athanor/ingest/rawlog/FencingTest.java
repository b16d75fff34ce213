package dev.athanor.ingest.rawlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.ownership.FencedException;
import dev.athanor.ingest.ownership.PgCommitLedger;
import dev.athanor.ingest.ownership.RunLease;
import dev.athanor.ingest.ownership.RunLeases;
import dev.athanor.ingest.testing.IndexDatabase;
import dev.athanor.rawlog.HotRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica whose lease on a run was taken over is refused on its next append: the batch is not
 * acknowledged, the indexer never hears of it (its journal entries are never published), and the
 * bytes it wrote are cut from the segment when the run's log is reopened. Refused both by its own
 * clock (the lease ran out) and by the commit ledger (the database says another epoch holds it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FencingTest {

    private static final Duration TTL = Duration.ofMillis(1500);

    private IndexDatabase db;
    private PgCommitLedger ledger;

    @TempDir
    Path hot;

    @BeforeAll
    void start() {
        db = IndexDatabase.start();
        ledger = new PgCommitLedger(db.dataSource());
    }

    @AfterAll
    void stop() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aReplicaThatLostItsLeaseCannotAppendAndNothingItWroteAfterwardsIsAcknowledgedOrIndexed() throws Exception {
        long runId = db.newRun();
        RunIdentity run = new RunIdentity(runId, 1, "default", "exp", "a");
        RunLeases zero = new RunLeases(db.dataSource(), "ingest-0", "ingest-0:9090", TTL);
        RunLeases one = new RunLeases(db.dataSource(), "ingest-1", "ingest-1:9090", TTL);
        AtomicLong announcedToIndexer = new AtomicLong();
        GroupCommitter committer = new GroupCommitter((log, bytes) -> announcedToIndexer.addAndGet(bytes), log -> { },
                ledger);
        RunLog log = RunLog.open(new HotRoot(hot), run, "ingest-0", Clock.systemUTC(), 1 << 20, Duration.ofHours(1),
                HotDeletedSegments.NONE, ledger);
        log.takeOver(zero.acquire(runId), ledger.committedOffsets(runId));

        List<ByteString> first = records(10);
        AppendResult acked = log.append("f", 0, first);
        committer.schedule(log);
        long firstEnd = acked.durable().get(10, TimeUnit.SECONDS);
        long journalAfterFirst = log.durableJournalSize();
        long announcedAfterFirst = announcedToIndexer.get();
        assertThat(announcedAfterFirst).isPositive();

        // No renewal (a long pause: GC, a partition); the lease expires and ingest-1 takes the run.
        Thread.sleep(TTL.toMillis() + 100);
        RunLease taken = one.acquire(runId);
        assertThat(taken.epoch()).isEqualTo(2);

        AppendResult refused = log.append("f", firstEnd, records(5));
        committer.schedule(log);
        assertThatThrownBy(() -> refused.durable().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(FencedException.class)
                .hasMessageContaining("no longer holds its lease at epoch 1");
        assertThat(log.durableJournalSize()).as("journal published to readers").isEqualTo(journalAfterFirst);
        assertThat(Files.size(log.journalPath())).as("journal on disk").isEqualTo(journalAfterFirst);
        assertThat(announcedToIndexer.get()).as("bytes announced to the indexer").isEqualTo(announcedAfterFirst);
        assertThat(log.isBroken()).isTrue();
        Path segment = log.directory().resolve(log.segments().getFirst().name());
        committer.close();
        log.close();

        // Reopened (as the replica does on its next use of the run): only acknowledged bytes remain.
        RunLog reopened = RunLog.open(new HotRoot(hot), run, "ingest-0", Clock.systemUTC(), 1 << 20, Duration.ofHours(1),
                HotDeletedSegments.NONE, ledger);
        assertThat(reopened.committedOffsets()).containsEntry("f", firstEnd);
        assertThat(Files.size(segment)).isEqualTo(firstEnd);
        reopened.close();
    }

    @Test
    void theLedgerRefusesAReplicaWhoseLeaseWasTakenEvenWhileItsOwnClockStillTrustsIt() throws Exception {
        long runId = db.newRun();
        RunIdentity run = new RunIdentity(runId, 1, "default", "exp", "b");
        Duration longTtl = Duration.ofMinutes(5);
        RunLeases zero = new RunLeases(db.dataSource(), "ingest-0", "ingest-0:9090", longTtl);
        RunLeases one = new RunLeases(db.dataSource(), "ingest-1", "ingest-1:9090", longTtl);
        AtomicLong announced = new AtomicLong();
        GroupCommitter committer = new GroupCommitter((l, bytes) -> announced.addAndGet(bytes), l -> { }, ledger);
        RunLog log = RunLog.open(new HotRoot(hot), run, "ingest-0", Clock.systemUTC(), 1 << 20, Duration.ofHours(1),
                HotDeletedSegments.NONE, ledger);
        RunLease lease = zero.acquire(runId);
        log.takeOver(lease, ledger.committedOffsets(runId));
        AppendResult first = log.append("f", 0, records(4));
        committer.schedule(log);
        long firstEnd = first.durable().get(10, TimeUnit.SECONDS);
        long announcedAfterFirst = announced.get();

        // An operator (or a clock jump on ingest-1's database side) ends the lease early: ingest-0's
        // local view still says valid for minutes, so only the ledger can stop it.
        db.update("UPDATE run_lease SET expires_at = now() WHERE run_id = " + runId);
        one.acquire(runId);
        assertThat(lease.isValid()).as("ingest-0's own view of its lease").isTrue();

        AppendResult refused = log.append("f", firstEnd, records(3));
        committer.schedule(log);
        assertThatThrownBy(() -> refused.durable().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(FencedException.class);
        assertThat(announced.get()).as("nothing more announced to the indexer").isEqualTo(announcedAfterFirst);
        assertThat(ledger.committedOffsets(runId)).containsEntry("f", firstEnd);
        assertThat(ledger.recordedByEpoch(runId)).containsOnlyKeys(lease.epoch());
        assertThat(Files.size(log.journalPath())).as("refused entries cut from the journal")
                .isEqualTo(log.durableJournalSize());
        committer.close();
        log.close();
    }

    private static List<ByteString> records(int n) {
        return IntStream.range(0, n).mapToObj(i -> ByteString.copyFromUtf8("record " + i + " ".repeat(50))).toList();
    }
}
