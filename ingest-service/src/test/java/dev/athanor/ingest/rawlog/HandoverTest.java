package dev.athanor.ingest.rawlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.ownership.PgCommitLedger;
import dev.athanor.ingest.ownership.RunLease;
import dev.athanor.ingest.ownership.RunLeases;
import dev.athanor.ingest.testing.IndexDatabase;
import dev.athanor.rawlog.Journal;
import dev.athanor.rawlog.JournalEntry;
import dev.athanor.rawlog.SegmentNames;
import dev.athanor.tfevents.record.TfRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas (own hot roots and node names, one PostgreSQL) hand a run over: the next owner
 * continues every file from the ledger's committed offsets in a segment of its own epoch, and a
 * replica that died with a batch fsynced but never recorded cuts it at recovery, so each record
 * lies in the run's raw log exactly once across the two volumes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandoverTest {

    private static final Duration TTL = Duration.ofMinutes(5);

    private IndexDatabase db;
    private PgCommitLedger ledger;

    @TempDir
    Path hotA;

    @TempDir
    Path hotB;

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
    void aDrainedRunContinuesOnTheNextReplicaFromTheLedgersOffsetsInASegmentOfItsEpoch() throws Exception {
        long runId = db.newRun();
        RunIdentity run = new RunIdentity(runId, 1, "default", "exp", "drained");
        RunLeases a = new RunLeases(db.dataSource(), "ingest-0", "ingest-0:9090", TTL);
        RunLeases b = new RunLeases(db.dataSource(), "ingest-1", "ingest-1:9090", TTL);
        List<ByteString> all = records(30);

        // ingest-0 writes the first 20 records, then drains: seal, commit, release.
        ReplicaLogs.Written drained = ReplicaLogs.writeAndDrain(hotA, run, a, ledger, all.subList(0, 20));
        RunLease leaseA = drained.lease();
        long handoverAt = drained.end();

        // ingest-1 receives the next batch; the uploader, unsure what was acknowledged, resends from 0.
        GroupCommitter committerB = new GroupCommitter((l, bytes) -> { }, l -> { }, ledger);
        RunLog logB = open(hotB, run, "ingest-1");
        RunLease leaseB = b.acquire(runId);
        assertThat(leaseB.epoch()).isEqualTo(leaseA.epoch() + 1);
        logB.takeOver(leaseB, ledger.committedOffsets(runId));
        assertThat(logB.committedOffsets()).containsEntry("f", handoverAt);
        AppendResult resent = logB.append("f", 0, all);
        committerB.schedule(logB);
        long end = resent.durable().get(10, TimeUnit.SECONDS);
        assertThat(resent.duplicates()).as("records ingest-0 holds are not written again").isEqualTo(20);
        assertThat(resent.accepted()).isEqualTo(10);
        assertThat(end).isEqualTo(frameBytes(all));
        assertThat(ledger.committedOffsets(runId)).containsEntry("f", end);
        assertThat(ledger.recordedByEpoch(runId)).containsOnlyKeys(leaseA.epoch(), leaseB.epoch());
        assertThat(ledger.writers(runId)).containsExactly("ingest-0", "ingest-1");

        String segmentB = logB.segments().getFirst().name();
        SegmentNames.SegmentName parsed = SegmentNames.parse(segmentB);
        assertThat(parsed.fencingEpoch()).isEqualTo(leaseB.epoch());
        assertThat(parsed.node()).isEqualTo("ingest-1");
        assertThat(segmentB).as("sorts after ingest-0's segment")
                .isGreaterThan(SegmentNames.parse(firstSegment(hotA, run)).fileName());
        assertThat(journalEntries(logB)).contains(new JournalEntry.Epoch(leaseB.epoch()))
                .anySatisfy(e -> assertThat(e).isInstanceOf(JournalEntry.Resume.class)
                        .isEqualTo(new JournalEntry.Resume(0, handoverAt)));
        committerB.close();
        logB.close();

        // Both volumes together hold every record once, in order: ingest-0's 20, then ingest-1's 10.
        assertThat(ReplicaLogs.payloads(ReplicaLogs.segments(run, hotA, hotB))).containsExactlyElementsOf(all);

        // ingest-1 restarts: recovery keeps the resumed offset (its journal starts mid-file).
        RunLog reopened = open(hotB, run, "ingest-1");
        assertThat(reopened.committedOffsets()).containsEntry("f", end);
        reopened.close();
    }

    @Test
    void aReplicaThatDiedBeforeTheLedgerRecordedABatchCutsItWhenItComesBackSoTheNextOwnerHoldsItOnce()
            throws Exception {
        long runId = db.newRun();
        RunIdentity run = new RunIdentity(runId, 1, "default", "exp", "crashed");
        RunLeases a = new RunLeases(db.dataSource(), "ingest-0", "ingest-0:9090", TTL);
        RunLeases b = new RunLeases(db.dataSource(), "ingest-1", "ingest-1:9090", TTL);
        List<ByteString> all = records(25);

        RunLog logA = open(hotA, run, "ingest-0");
        RunLease leaseA = a.acquire(runId);
        logA.takeOver(leaseA, ledger.committedOffsets(runId));
        GroupCommitter committerA = new GroupCommitter((l, bytes) -> { }, l -> { }, ledger);
        long recordedEnd = durable(committerA, logA, logA.append("f", 0, all.subList(0, 10)));
        committerA.close();
        // The next batch reaches ingest-0's journal (fsynced) but PostgreSQL is unreachable for the
        // ledger, so it is never acknowledged; then ingest-0 is killed.
        GroupCommitter unreachable = new GroupCommitter((l, bytes) -> { }, l -> { }, new UnreachableLedger());
        AppendResult unacknowledged = logA.append("f", recordedEnd, all.subList(10, 15));
        unreachable.schedule(logA);
        Thread.sleep(300);
        assertThat(unacknowledged.durable()).as("no ack without the ledger").isNotDone();
        assertThat(Files.size(logA.journalPath())).as("the batch is in ingest-0's journal")
                .isGreaterThan(logA.durableJournalSize());
        unreachable.close();
        logA.close();

        // Its lease expires; ingest-1 takes the run and the uploader resends what was not acknowledged.
        db.update("UPDATE run_lease SET expires_at = now() WHERE run_id = " + runId);
        RunLease leaseB = b.acquire(runId);
        RunLog logB = open(hotB, run, "ingest-1");
        logB.takeOver(leaseB, ledger.committedOffsets(runId));
        assertThat(logB.committedOffsets()).containsEntry("f", recordedEnd);
        GroupCommitter committerB = new GroupCommitter((l, bytes) -> { }, l -> { }, ledger);
        AppendResult rest = logB.append("f", recordedEnd, all.subList(10, 25));
        assertThat(rest.accepted()).isEqualTo(15);
        committerB.schedule(logB);
        rest.durable().get(10, TimeUnit.SECONDS);
        committerB.close();
        logB.close();

        // ingest-0 comes back with its volume: recovery cuts the batch the ledger never recorded.
        RunLog recovered = open(hotA, run, "ingest-0");
        assertThat(recovered.committedOffsets()).containsEntry("f", recordedEnd);
        Path segmentA = hotA.resolve(run.relativeDir()).resolve(firstSegment(hotA, run));
        assertThat(Files.size(segmentA)).isEqualTo(recordedEnd);
        recovered.close();

        assertThat(ReplicaLogs.payloads(ReplicaLogs.segments(run, hotA, hotB)))
                .as("every record once, in order, across both volumes").containsExactlyElementsOf(all);
    }

    private RunLog open(Path hot, RunIdentity run, String node) throws Exception {
        return ReplicaLogs.open(hot, run, node, ledger);
    }

    private static String firstSegment(Path hot, RunIdentity run) throws Exception {
        try (var files = Files.list(hot.resolve(run.relativeDir()))) {
            return files.map(p -> p.getFileName().toString()).filter(SegmentNames::isSegment).sorted().findFirst()
                    .orElseThrow();
        }
    }

    private static List<JournalEntry> journalEntries(RunLog log) throws Exception {
        return Journal.read(log.journalPath(), 0, Files.size(log.journalPath())).entries().stream()
                .map(Journal.Positioned::entry).toList();
    }

    private static long durable(GroupCommitter committer, RunLog log, AppendResult result) throws Exception {
        committer.schedule(log);
        return result.durable().get(10, TimeUnit.SECONDS);
    }


    private static long frameBytes(List<ByteString> records) {
        return records.stream().mapToLong(r -> TfRecord.FRAME_OVERHEAD + r.size()).sum();
    }

    private static List<ByteString> records(int n) {
        return IntStream.range(0, n).mapToObj(i -> ByteString.copyFromUtf8("record " + i + " ".repeat(40))).toList();
    }

    /** The ledger's PostgreSQL cannot be reached. */
    private static final class UnreachableLedger implements CommitLedger {
        @Override
        public Set<Long> record(Collection<Commit> commits) throws SQLException {
            throw new SQLException("connection refused (test: PostgreSQL unreachable)", "08001");
        }

        @Override
        public Map<String, Long> committedOffsets(long runId) throws SQLException {
            throw new SQLException("connection refused", "08001");
        }

        @Override
        public Map<String, Integer> fileHeads(long runId) throws SQLException {
            throw new SQLException("connection refused", "08001");
        }

        @Override
        public Map<Long, Map<String, Long>> recordedByEpoch(long runId) throws SQLException {
            throw new SQLException("connection refused", "08001");
        }

        @Override
        public Set<String> writers(long runId) throws SQLException {
            throw new SQLException("connection refused", "08001");
        }
    }
}
