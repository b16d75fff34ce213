package dev.athanor.ingest.rawlog;

/** Told when bytes of a run became durable (the indexer listens). */
public interface DurabilityListener {

    void durable(RunLog log, long segmentBytes);
}
