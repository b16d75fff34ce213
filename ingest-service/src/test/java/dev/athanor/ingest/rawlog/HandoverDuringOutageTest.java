package dev.athanor.ingest.rawlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.ownership.PgCommitLedger;
import dev.athanor.ingest.ownership.RunLease;
import dev.athanor.ingest.ownership.RunLeases;
import dev.athanor.ingest.testing.IndexDatabase;
import dev.athanor.rawlog.HotRoot;
import dev.athanor.rawlog.SegmentNames;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.record.TfRecordReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops in the middle of a handover: the new owner has taken the run and journaled a
 * batch, but the commit ledger cannot record it, so nothing is acknowledged; when PostgreSQL is
 * back the batch is recorded and acknowledged, and the run's two volumes hold every record once.
 */
class HandoverDuringOutageTest {

    @TempDir
    Path hotA;

    @TempDir
    Path hotB;

    @TempDir
    Path pgData;

    @Test
    void acksStopWhilePostgresIsDownAndResumeWithNothingLostOrDoubled() throws Exception {
        try (IndexDatabase db = IndexDatabase.startRestartable(pgData)) {
            PgCommitLedger ledger = new PgCommitLedger(db.dataSource());
            long runId = db.newRun();
            RunIdentity run = new RunIdentity(runId, 1, "default", "exp", "outage");
            Duration ttl = Duration.ofMinutes(5);
            RunLeases a = new RunLeases(db.dataSource(), "ingest-0", "ingest-0:9090", ttl);
            RunLeases b = new RunLeases(db.dataSource(), "ingest-1", "ingest-1:9090", ttl);
            List<ByteString> all = IntStream.range(0, 30)
                    .mapToObj(i -> ByteString.copyFromUtf8("record " + i + " ".repeat(30))).toList();

            // ingest-0 writes 10 records and drains.
            GroupCommitter committerA = new GroupCommitter((l, bytes) -> { }, l -> { }, ledger);
            RunLog logA = open(hotA, run, "ingest-0", ledger);
            RunLease leaseA = a.acquire(runId);
            logA.takeOver(leaseA, ledger.committedOffsets(runId));
            AppendResult first = logA.append("f", 0, all.subList(0, 10));
            committerA.schedule(logA);
            long handoverAt = first.durable().get(10, TimeUnit.SECONDS);
            logA.seal();
            committerA.schedule(logA);
            committerA.close();
            logA.close();
            a.release(leaseA);

            // ingest-1 takes the run over; then PostgreSQL stops before its first commit is recorded.
            GroupCommitter committerB = new GroupCommitter((l, bytes) -> { }, l -> { }, ledger);
            RunLog logB = open(hotB, run, "ingest-1", ledger);
            logB.takeOver(b.acquire(runId), ledger.committedOffsets(runId));
            db.stopServer();
            AppendResult during = logB.append("f", handoverAt, all.subList(10, 30));
            committerB.schedule(logB);
            Thread.sleep(1500);
            assertThat(during.durable()).as("acknowledged while PostgreSQL is down").isNotDone();
            assertThat(Files.size(logB.journalPath())).as("journaled, waiting for the ledger")
                    .isGreaterThan(logB.durableJournalSize());

            db.restart();
            long end = during.durable().get(30, TimeUnit.SECONDS);
            assertThat(end).isEqualTo(all.stream().mapToLong(r -> TfRecord.FRAME_OVERHEAD + r.size()).sum());
            assertThat(ledger.committedOffsets(runId)).containsEntry("f", end);
            committerB.close();
            logB.close();

            List<ByteString> stored = new ArrayList<>();
            for (Path segment : segments(hotA, run, hotB)) {
                try (TfRecordReader reader = TfRecordReader.open(segment)) {
                    while (reader.next() instanceof TfRecord r) {
                        stored.add(ByteString.copyFrom(r.payload()));
                    }
                }
            }
            assertThat(stored).as("every record once, in order, across both volumes").containsExactlyElementsOf(all);
        }
    }

    private static RunLog open(Path hot, RunIdentity run, String node, CommitLedger ledger) throws Exception {
        return RunLog.open(new HotRoot(hot), run, node, Clock.systemUTC(), 1 << 20, Duration.ofHours(1),
                HotDeletedSegments.NONE, ledger);
    }

    /** The run's segments on both volumes, in name order (the order TensorBoard reads them in). */
    private static List<Path> segments(Path hotA, RunIdentity run, Path hotB) throws Exception {
        List<Path> all = new ArrayList<>();
        for (Path hot : List.of(hotA, hotB)) {
            try (Stream<Path> files = Files.list(hot.resolve(run.relativeDir()))) {
                files.filter(p -> SegmentNames.isSegment(p.getFileName().toString())).forEach(all::add);
            }
        }
        all.sort((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString()));
        return all;
    }
}
