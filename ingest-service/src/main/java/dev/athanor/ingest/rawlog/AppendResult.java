package dev.athanor.ingest.rawlog;

import java.util.concurrent.CompletableFuture;

/**
 * What an append did: records newly written, records skipped as already present, and a future
 * that completes with the file's durable offset once everything the batch covers is on disk.
 */
public record AppendResult(int accepted, int duplicates, long batchEnd, CompletableFuture<Long> durable) {
}
