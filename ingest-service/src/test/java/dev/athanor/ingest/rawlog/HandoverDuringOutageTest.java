package dev.athanor.ingest.rawlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.ownership.PgCommitLedger;
import dev.athanor.ingest.ownership.RunLeases;
import dev.athanor.ingest.testing.IndexDatabase;
import dev.athanor.tfevents.record.TfRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
            long handoverAt = ReplicaLogs.writeAndDrain(hotA, run, a, ledger, all.subList(0, 10)).end();

            // ingest-1 takes the run over; then PostgreSQL stops before its first commit is recorded.
            GroupCommitter committerB = new GroupCommitter((l, bytes) -> { }, l -> { }, ledger);
            RunLog logB = ReplicaLogs.open(hotB, run, "ingest-1", ledger);
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

            List<ByteString> stored = ReplicaLogs.payloads(ReplicaLogs.segments(run, hotA, hotB));
            assertThat(stored).as("every record once, in order, across both volumes").containsExactlyElementsOf(all);
        }
    }

}
