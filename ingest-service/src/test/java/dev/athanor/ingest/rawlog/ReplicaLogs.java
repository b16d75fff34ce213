package dev.athanor.ingest.rawlog;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.ownership.RunLease;
import dev.athanor.ingest.ownership.RunLeases;
import dev.athanor.rawlog.HotRoot;
import dev.athanor.rawlog.SegmentNames;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.record.TfRecordReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** One run's raw log as several replicas (hot roots, node names, one ledger) write it, for handover tests. */
final class ReplicaLogs {

    private ReplicaLogs() {
    }

    static RunLog open(Path hot, RunIdentity run, String node, CommitLedger ledger) throws Exception {
        return RunLog.open(new HotRoot(hot), run, node, Clock.systemUTC(), 1 << 20, Duration.ofHours(1),
                HotDeletedSegments.NONE, ledger);
    }

    /**
     * The replica of {@code leases} takes the run, writes {@code records} to file "f" from offset 0,
     * and drains (seal, commit, release). Returns the lease it held and the acknowledged end.
     */
    static Written writeAndDrain(Path hot, RunIdentity run, RunLeases leases, CommitLedger ledger,
                                 List<ByteString> records) throws Exception {
        GroupCommitter committer = new GroupCommitter((l, bytes) -> { }, l -> { }, ledger);
        RunLog log = open(hot, run, leases.node(), ledger);
        RunLease lease = leases.acquire(run.runId());
        log.takeOver(lease, ledger.committedOffsets(run.runId()));
        AppendResult result = log.append("f", 0, records);
        committer.schedule(log);
        long end = result.durable().get(10, TimeUnit.SECONDS);
        log.seal();
        committer.schedule(log);
        committer.close();
        log.close();
        leases.release(lease);
        return new Written(lease, end);
    }

    record Written(RunLease lease, long end) {
    }

    /** The run's segments on all the hot roots, in name order (the order stock TensorBoard reads them in). */
    static List<Path> segments(RunIdentity run, Path... hotRoots) throws Exception {
        List<Path> all = new ArrayList<>();
        for (Path hot : hotRoots) {
            Path dir = hot.resolve(run.relativeDir());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> SegmentNames.isSegment(p.getFileName().toString())).forEach(all::add);
            }
        }
        all.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return all;
    }

    /** The record payloads of the files, in order. */
    static List<ByteString> payloads(List<Path> segments) throws Exception {
        List<ByteString> out = new ArrayList<>();
        for (Path segment : segments) {
            try (TfRecordReader reader = TfRecordReader.open(segment)) {
                while (reader.next() instanceof TfRecord r) {
                    out.add(ByteString.copyFrom(r.payload()));
                }
            }
        }
        return out;
    }
}
