package dev.athanor.uploader.testing;

import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.proto.ingest.v1.RunStatus;
import dev.athanor.tfevents.record.FileHead;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The durable state of the fake ingest service; it outlives server restarts. Implements the
 * contract's exactly-once rule: a record below a file's committed offset is a duplicate and is
 * not stored again. Anything the contract forbids (a record stored twice, a replay whose bytes
 * differ, a batch straddling the committed offset off a record boundary) is kept as a violation.
 */
public final class IngestStore {

    /** One stored record. */
    public record StoredRecord(long offset, byte[] payload) {
        @Override
        public boolean equals(Object o) {
            return o instanceof StoredRecord r && r.offset == offset && Arrays.equals(r.payload, payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(offset) * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "record@" + offset + "(" + payload.length + " bytes)";
        }
    }

    /** Result of appending a batch. */
    public record Appended(long committedOffset, long accepted, long duplicate) {
    }

    /** One file's committed offset, as GetCommittedOffsets reports it. */
    /** @param head the stored file's fingerprint (FileHead of its first record), null until that record arrived */
    public record Committed(String runPath, String fileName, long offset, Integer head) {
    }

    private static final class FileLog {
        final String experimentId;
        final String runPath;
        final String fileName;
        long committed;
        Integer head;

        FileLog(String experimentId, String runPath, String fileName) {
            this.experimentId = experimentId;
            this.runPath = runPath;
            this.fileName = fileName;
        }

        final NavigableMap<Long, byte[]> records = new TreeMap<>();
    }

    private final boolean keepPayloads;
    private final Map<String, String> experimentsByName = new HashMap<>();
    private final Map<String, Map<String, RunStatus>> runsByExperiment = new HashMap<>();
    private final Map<String, FileLog> files = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private long acceptedRecords;
    private long duplicateRecords;
    private long batches;

    public IngestStore() {
        this(true);
    }

    /** {@code keepPayloads} false: offsets and counts only, for benchmarks with more data than memory. */
    public IngestStore(boolean keepPayloads) {
        this.keepPayloads = keepPayloads;
    }

    public synchronized String createExperiment(String project, String name) {
        return experimentsByName.computeIfAbsent(project + "/" + name, k -> {
            String id = "exp-" + (experimentsByName.size() + 1);
            runsByExperiment.put(id, new LinkedHashMap<>());
            return id;
        });
    }

    public synchronized boolean experimentExists(String id) {
        return runsByExperiment.containsKey(id);
    }

    public synchronized void createRun(String experimentId, String path) {
        runsByExperiment.get(experimentId).putIfAbsent(path, RunStatus.RUN_STATUS_RUNNING);
    }

    public synchronized boolean runExists(String experimentId, String path) {
        Map<String, RunStatus> runs = runsByExperiment.get(experimentId);
        return runs != null && runs.containsKey(path);
    }

    public synchronized void finishRun(String experimentId, String path, RunStatus status) {
        runsByExperiment.get(experimentId).put(path, status);
    }

    public synchronized Map<String, RunStatus> runs(String experimentId) {
        return new LinkedHashMap<>(runsByExperiment.getOrDefault(experimentId, Map.of()));
    }

    /** Committed offsets of every file of an experiment (optionally of one run). */
    public synchronized List<Committed> committed(String experimentId, String runPath) {
        List<Committed> result = new ArrayList<>();
        for (FileLog log : files.values()) {
            if (log.experimentId.equals(experimentId) && (runPath.isEmpty() || log.runPath.equals(runPath))) {
                result.add(new Committed(log.runPath, log.fileName, log.committed, log.head));
            }
        }
        return result;
    }

    /**
     * Appends the first {@code limit} records of a batch (all when limit is negative): the
     * partial write of a stream that dies mid-batch.
     */
    public synchronized Appended append(RecordBatch batch, int limit) {
        batches++;
        FileLog log = files.computeIfAbsent(key(batch.getExperimentId(), batch.getRunPath(), batch.getFileName()),
                k -> new FileLog(batch.getExperimentId(), batch.getRunPath(), batch.getFileName()));
        long offset = batch.getStartOffset();
        long accepted = 0;
        long duplicate = 0;
        int count = limit < 0 ? batch.getRecordsCount() : Math.min(limit, batch.getRecordsCount());
        for (int i = 0; i < count; i++) {
            byte[] payload = keepPayloads ? batch.getRecords(i).toByteArray() : null;
            int size = batch.getRecords(i).size();
            long end = offset + 16 + size;
            if (offset < log.committed) {
                duplicate++;
                byte[] stored = log.records.get(offset);
                if (end > log.committed) {
                    violations.add("record at " + offset + " of " + batch.getRunPath() + "/" + batch.getFileName()
                            + " straddles the committed offset " + log.committed);
                } else if (stored != null && payload != null && !Arrays.equals(stored, payload)) {
                    violations.add("replayed record at " + offset + " of " + batch.getFileName() + " differs");
                }
            } else {
                if (keepPayloads && log.records.put(offset, payload) != null) {
                    violations.add("record at " + offset + " of " + batch.getFileName() + " stored twice");
                }
                if (offset == 0) {
                    log.head = FileHead.of(batch.getRecords(i).toByteArray());
                }
                log.committed = end;
                accepted++;
            }
            offset = end;
        }
        acceptedRecords += accepted;
        duplicateRecords += duplicate;
        return new Appended(log.committed, accepted, duplicate);
    }

    /** Records stored for one file, in offset order. */
    public synchronized List<StoredRecord> records(String experimentId, String runPath, String fileName) {
        FileLog log = files.get(key(experimentId, runPath, fileName));
        List<StoredRecord> result = new ArrayList<>();
        if (log != null) {
            log.records.forEach((offset, payload) -> result.add(new StoredRecord(offset, payload)));
        }
        return result;
    }

    public synchronized List<String> violations() {
        return new ArrayList<>(violations);
    }

    public synchronized long acceptedRecords() {
        return acceptedRecords;
    }

    public synchronized long duplicateRecords() {
        return duplicateRecords;
    }

    public synchronized long batches() {
        return batches;
    }

    public static Status missingRun(RecordBatch batch) {
        return Status.FAILED_PRECONDITION.withDescription("run '" + batch.getRunPath() + "' was not created");
    }

    private static String key(String experimentId, String runPath, String fileName) {
        return experimentId + "|" + runPath + "/" + fileName;
    }
}
