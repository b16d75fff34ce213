package dev.athanor.ingest.upload;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.catalog.CatalogStore;
import dev.athanor.ingest.catalog.ExperimentRef;
import dev.athanor.ingest.catalog.InvalidInputException;
import dev.athanor.ingest.catalog.Names;
import dev.athanor.ingest.config.IngestConfig;
import dev.athanor.ingest.health.DescriptorGuard;
import dev.athanor.ingest.health.OutOfDescriptorsException;
import dev.athanor.ingest.ownership.LeaseRefusedException;
import dev.athanor.ingest.ownership.Ownership;
import dev.athanor.ingest.ownership.RunLease;
import dev.athanor.ingest.rawlog.AppendResult;
import dev.athanor.ingest.rawlog.RawLog;
import dev.athanor.ingest.rawlog.RunIdentity;
import dev.athanor.ingest.rawlog.RunLog;
import dev.athanor.proto.ingest.v1.RecordBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * Validates one uploaded batch and appends it to its run's raw log. Returns once the bytes are
 * written; the result's future completes when they are durable (group commit).
 */
@ApplicationScoped
public class BatchWriter {

    private static final Logger LOG = Logger.getLogger(BatchWriter.class);

    private final CatalogStore catalog;
    private final RawLog rawLog;
    private final Ownership ownership;
    private final int maxRecordBytes;
    private final Counter recordsAccepted;
    private final Counter recordsDuplicate;
    private final Counter bytesAccepted;
    private final Object takeovers = new Object();
    private final DescriptorGuard descriptors;

    public BatchWriter(CatalogStore catalog, RawLog rawLog, Ownership ownership, IngestConfig config,
                       MeterRegistry meters, DescriptorGuard descriptors) {
        this.descriptors = descriptors;
        this.catalog = catalog;
        this.rawLog = rawLog;
        this.ownership = ownership;
        this.maxRecordBytes = config.limits().maxRecordBytes();
        this.recordsAccepted = meters.counter("athanor.ingest.records", "result", "accepted");
        this.recordsDuplicate = meters.counter("athanor.ingest.records", "result", "duplicate");
        this.bytesAccepted = meters.counter("athanor.ingest.bytes");
    }

    /**
     * @throws LeaseRefusedException    when another live replica owns the batch's run
     * @throws OutOfDescriptorsException when the run's files are closed and the process nears its open-file limit
     */
    public AppendResult write(RecordBatch batch) throws SQLException, IOException, LeaseRefusedException {
        String fileName = Names.fileName("batch.file_name", batch.getFileName());
        List<ByteString> records = batch.getRecordsList();
        if (records.isEmpty()) {
            // An empty batch would wait for bytes that never come (an ack for nothing).
            throw new InvalidInputException("batch.records", "a batch must hold at least one record");
        }
        long bytes = 0;
        for (int i = 0; i < records.size(); i++) {
            int size = records.get(i).size();
            if (size > maxRecordBytes) {
                throw new InvalidInputException("batch.records[" + i + "]",
                        "record of %d bytes at offset %d of %s exceeds max_record_bytes (%d)".formatted(size,
                                offsetOf(batch, i), fileName, maxRecordBytes));
            }
            bytes += size;
        }
        RunLog log = runLog(batch);
        long runId = log.identity().runId();
        AppendResult result = log.append(fileName, batch.getStartOffset(), records);
        if (result.accepted() > 0 || !result.durable().isDone()) {
            rawLog.commitSoon(log);
        }
        if (result.accepted() > 0) {
            reopenIfEnded(runId, fileName);
        }
        recordsAccepted.increment(result.accepted());
        recordsDuplicate.increment(result.duplicates());
        if (result.accepted() > 0) {
            bytesAccepted.increment(bytes);
        }
        return result;
    }

    /**
     * Makes the batch's run ready to take it — this replica's lease, its raw log opened — without
     * appending: what a run's first batch costs (PostgreSQL round trips and the journal's
     * creation), done ahead while the stream appends earlier batches
     * ({@link dev.athanor.ingest.grpc.UploadStream}). {@link #write} finds it all cached. Only a run
     * that exists is prepared: one that does not is created by its batch's own turn, never ahead of
     * it, so a stream that fails (or a batch refused) before that turn leaves no empty run behind.
     * The uploader creates its runs (CreateRun) before it sends their data, so its runs all exist.
     */
    public void prepare(RecordBatch batch) throws SQLException, IOException, LeaseRefusedException {
        runLog(batch, false);
    }

    /** The batch's run's log under this replica's lease, creating the run and opening the log if needed. */
    private RunLog runLog(RecordBatch batch) throws SQLException, IOException, LeaseRefusedException {
        return runLog(batch, true);
    }

    /**
     * The batch's run's log under this replica's lease, opening it if needed; a run that does not
     * exist is created when {@code create}, else null is returned.
     */
    private RunLog runLog(RecordBatch batch, boolean create) throws SQLException, IOException, LeaseRefusedException {
        long experimentId = CatalogStore.parseExperimentId("batch.experiment_id", batch.getExperimentId());
        String runPath = Names.runPath("batch.run_path", batch.getRunPath());
        if (rawLog.isDraining()) {
            throw new DrainingException(rawLog.node());
        }
        ExperimentRef experiment = catalog.experiment(experimentId);
        long runId;
        if (create) {
            runId = catalog.runId(experiment, runPath);
        } else {
            OptionalLong existing = catalog.existingRunId(experiment, runPath);
            if (existing.isEmpty()) {
                return null;
            }
            runId = existing.getAsLong();
        }
        if (rawLog.opened(runId).map(log -> !log.holdsFiles()).orElse(true)) {
            // Its journal and segment would be opened now: not when the process nears its limit.
            descriptors.requireRoomFor("run " + runPath + " of experiment " + experimentId);
        }
        RunLease lease = ownership.lease(runId);
        return logUnder(lease, new RunIdentity(runId, experiment.id(), experiment.project(), experiment.name(),
                runPath));
    }

    /**
     * The run's log, appending under {@code lease}. A new lease (this replica's first batch of the
     * run since it started, or since another replica held it) continues every file from the
     * offsets the commit ledger records, wherever they were written.
     */
    private RunLog logUnder(RunLease lease, RunIdentity identity) throws IOException, SQLException {
        RunLog log = rawLog.open(identity);
        if (log.heldUnder(lease)) {
            return log;
        }
        // Where the other owners left the run's files, read under the lease (outside the lock:
        // runs prepared side by side wait for PostgreSQL together).
        java.util.Map<String, Long> committed = rawLog.ledger().committedOffsets(identity.runId());
        // Rare (once per run and lease): one lock for all takeovers keeps two streams of a run
        // from both reopening it; taken before RawLog's and RunLog's own locks, never after.
        synchronized (takeovers) {
            log = rawLog.open(identity);
            if (log.heldUnder(lease)) {
                return log;
            }
            if (log.hadLease()) {
                // Lost and taken again: what the old epoch left unrecorded must be cut first.
                log = rawLog.reopen(identity);
            }
            log.takeOver(lease, committed);
        }
        return log;
    }

    /** Data after FinishRun is resumed training: the run is RUNNING again, and its history says why. */
    private void reopenIfEnded(long runId, String fileName) {
        try {
            if (catalog.reopenIfEnded(runId, fileName)) {
                LOG.infof("run %d reopened: new data in %s after it had ended", runId, fileName);
            }
        } catch (SQLException e) {
            // The records are stored either way; the next batch of the run tries again.
            LOG.warnf("run %d received data after it ended, but could not be marked running again: %s", runId,
                    e.getMessage());
        }
    }

    private static long offsetOf(RecordBatch batch, int index) {
        long offset = batch.getStartOffset();
        for (int i = 0; i < index; i++) {
            offset += 16 + batch.getRecords(i).size();
        }
        return offset;
    }
}
