package dev.athanor.ingest.rawlog;

import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Where a group commit is recorded, shared by every replica, before anything is acknowledged
 * (docs/architecture.md, "Handover"). Recording is also the fencing check that does not trust
 * clocks: it succeeds for a run only while its lease still names this owner at that epoch.
 */
public interface CommitLedger {

    /**
     * What one run's owner made durable under one epoch: the end offset of each source file it
     * wrote, and the fingerprint ({@code FileHead}) of each file whose first record it holds.
     */
    record Commit(long runId, String owner, long epoch, Map<String, Long> offsets, Map<String, Integer> heads) {
    }

    /**
     * Records the commits in one transaction.
     *
     * @return the runs whose lease has moved on (another holder or a later epoch): nothing was recorded for them
     * @throws SQLException when the ledger cannot be reached: nothing was recorded, retry later
     */
    Set<Long> record(Collection<Commit> commits) throws SQLException;

    /** Where each source file of the run continues: the largest committed offset over all epochs. */
    Map<String, Long> committedOffsets(long runId) throws SQLException;

    /** The fingerprint of each source file of the run whose first record was recorded. */
    Map<String, Integer> fileHeads(long runId) throws SQLException;

    /** What each epoch recorded for the run, by epoch, then file. */
    Map<Long, Map<String, Long>> recordedByEpoch(long runId) throws SQLException;

    /** The ingest replicas that recorded commits of the run: where its raw log lies. */
    Set<String> writers(long runId) throws SQLException;

    /**
     * No shared ledger: a raw log that nothing else writes (tools, single-process tests). Every
     * commit counts as recorded and nothing is known elsewhere.
     */
    CommitLedger LOCAL = new CommitLedger() {
        @Override
        public Set<Long> record(Collection<Commit> commits) {
            return Set.of();
        }

        @Override
        public Map<String, Long> committedOffsets(long runId) {
            return Map.of();
        }

        @Override
        public Map<String, Integer> fileHeads(long runId) {
            return Map.of();
        }

        @Override
        public Map<Long, Map<String, Long>> recordedByEpoch(long runId) {
            return Map.of();
        }

        @Override
        public Set<String> writers(long runId) {
            return Set.of();
        }
    };
}
