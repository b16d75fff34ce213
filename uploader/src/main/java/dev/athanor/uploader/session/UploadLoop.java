package dev.athanor.uploader.session;

import dev.athanor.proto.ingest.v1.BatchAck;
import dev.athanor.proto.ingest.v1.Compatibility;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.proto.ingest.v1.ServerInfoResponse;
import dev.athanor.uploader.Problem;
import dev.athanor.uploader.UploadOptions;
import dev.athanor.proto.ingest.v1.UploadLimits;
import dev.athanor.uploader.assets.AssetSender;
import dev.athanor.uploader.assets.AssetTracker;
import dev.athanor.uploader.discovery.DiscoveredAsset;
import dev.athanor.uploader.discovery.LogdirMissingException;
import dev.athanor.uploader.discovery.LogdirScan;
import dev.athanor.uploader.discovery.RunDiscovery;
import dev.athanor.uploader.flow.EffectiveLimits;
import dev.athanor.uploader.flow.InflightWindow;
import dev.athanor.uploader.flow.RateLimiter;
import dev.athanor.uploader.flow.SentBatch;
import dev.athanor.uploader.progress.ProgressSnapshot;
import dev.athanor.uploader.progress.RateMeter;
import dev.athanor.uploader.progress.Reporter;
import dev.athanor.uploader.progress.Reporter.Level;
import dev.athanor.uploader.tail.CommittedFile;
import dev.athanor.uploader.tail.BatchReader;
import dev.athanor.uploader.tail.FileSet;
import dev.athanor.uploader.tail.ReadBatch;
import dev.athanor.uploader.tail.ReaderPool;
import dev.athanor.uploader.tail.TailedFile;
import dev.athanor.uploader.transport.IngestClient;
import dev.athanor.uploader.transport.UploadStream;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The upload itself, one connection at a time: handshake, resume from the server's committed
 * offsets, then scan, read, send and take acknowledgements until done, stopped or broken. What
 * must survive a reconnect (files found, problems, counters, the stop deadline) lives here; the
 * stream and its window are per connection. Runs on one thread; gRPC callbacks reach it through
 * a queue.
 */
public final class UploadLoop {

    /** CreateRun calls in flight at once when many runs appear together (a sweep). */
    private static final int CREATE_RUN_CALLS = 16;
    /** Upper bound on one wait, so scans, deadlines and the progress line stay timely. */
    /** The wait after a scan is at least this many times what the scan took (scans take at most a quarter of the time). */
    private static final long SCAN_SHARE_FACTOR = 3;
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /**
     * Confirmation scans a finishing upload makes when files keep growing; then it completes with
     * what it has read (a once upload of a logdir that is still being written must end).
     */
    private static final int MAX_CONFIRM_ROUNDS = 3;
    /** Minimum time between two progress snapshots (they sum over every file). */
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Problems kept in the result; more are counted. */
    private static final int MAX_PROBLEMS_KEPT = 1000;
    /** Checksum failures of one asset before it is reported and skipped. */
    private static final int MAX_ASSET_ATTEMPTS = 3;
    private static final long DEFAULT_ASSET_CHUNK = 1 << 20;
    /** Room for the chunk's offset, CRC and framing within one message. */
    private static final long ASSET_CHUNK_ENVELOPE = 4096;

    private final UploadOptions options;
    private final RunDiscovery discovery;
    private final Reporter reporter;
    private final StopControl stop;
    private final FileSet files;
    private final BatchReader batches;
    private final BlockingQueue<LoopEvent> events = new LinkedBlockingQueue<>();
    private final Set<String> createdRuns = new HashSet<>();
    private final AssetTracker assets;
    private final RunRefusals refusals;
    /** The server has no asset upload: assets are reported once and skipped. */
    private boolean assetsUnsupported;
    private UploadLimits serverLimits = UploadLimits.getDefaultInstance();
    private final List<Problem> problems = new ArrayList<>();
    private final RateMeter rateMeter = new RateMeter(TimeUnit.SECONDS.toNanos(5));
    private int problemCount;
    private boolean dataSkipped;

    private String experimentId;
    private boolean logdirSeen;
    private boolean connectedOnce;
    private boolean waitingForLogdirReported;
    private boolean draining;
    /** Once mode, stop requested: send nothing more, wait for what is in flight, end. */
    private boolean interrupted;
    private long lastProgressNanos = Long.MIN_VALUE;
    private long graceDeadlineNanos;
    private int streamGeneration;
    private long nextBatchId = 1;
    private long bytesAcked;
    private long recordsAcked;
    private long recordsDuplicate;
    private int reconnects;
    private String state = "connecting";
    private double lastRate;

    public UploadLoop(UploadOptions options, RunDiscovery discovery, Reporter reporter, StopControl stop) {
        this.options = options;
        this.discovery = discovery;
        this.reporter = reporter;
        this.stop = stop;
        ReaderPool readers = new ReaderPool(options.maxOpenFiles());
        this.files = new FileSet(readers, this::report);
        this.refusals = new RunRefusals(this::report);
        this.batches = new BatchReader(readers, this::report);
        this.assets = new AssetTracker(options.assetQuietPeriod().toMillis());
    }

    /** Wakes the loop (after a stop or abort request). */
    public void wake() {
        events.offer(new LoopEvent.Wake());
    }

    /** One connection: returns why it ended. */
    public SessionEnd runSession(IngestClient client) {
        int generation = ++streamGeneration;
        long now = System.nanoTime();
        if (checkStop(now)) {
            return new SessionEnd.Aborted();
        }
        EffectiveLimits limits;
        try {
            ServerInfoResponse info = client.serverInfo(options.clientVersion());
            serverLimits = info.getLimits();
            limits = EffectiveLimits.of(info.getLimits(), options.maxBatchBytes(), options.maxInflightBatches(),
                    options.maxBytesPerSecond());
            Compatibility compatibility = info.getCompatibility();
            if (compatibility.getVerdict() == Compatibility.Verdict.VERDICT_ERROR) {
                return new SessionEnd.Fatal("the server refuses this uploader version (" + options.clientVersion()
                        + "): " + compatibility.getDetails());
            }
            if (compatibility.getVerdict() == Compatibility.Verdict.VERDICT_WARN && reconnects == 0) {
                reporter.event(Level.WARN, "compatibility", "server warns: " + compatibility.getDetails());
            }
            if (experimentId == null) {
                experimentId = client.createExperiment(options.project(), options.experiment()).getExperimentId();
            }
            Map<String, CommittedFile> committed = client.committedOffsets(experimentId);
            files.resetTo(committed);
            if (!connectedOnce) {
                connectedOnce = true;
                reporter.event(Level.INFO, "connected", "connected to " + client.endpoint() + " (server "
                                + info.getServerVersion() + "), experiment '" + options.experiment() + "' is "
                                + experimentId + "; resuming " + committed.size() + " files from committed offsets",
                        "endpoint", client.endpoint(), "server_version", info.getServerVersion(),
                        "experiment_id", experimentId, "max_batch_bytes", limits.maxBatchBytes(),
                        "max_inflight_batches", limits.maxInflightBatches(),
                        "max_bytes_per_second", limits.maxBytesPerSecond());
            } else {
                reporter.event(Level.INFO, "reconnected", "reconnected to " + client.endpoint()
                        + "; resuming from the committed offsets of " + committed.size() + " files",
                        "endpoint", client.endpoint(), "reconnects", reconnects);
            }
            state = draining ? "draining" : "uploading";
        } catch (StatusRuntimeException e) {
            return new SessionEnd.Failed(e.getStatus(), false);
        }

        SessionEnd scanned = scan(client);
        if (scanned != null) {
            return scanned;
        }
        try {
            createMissingRuns(client);
        } catch (StatusRuntimeException e) {
            return new SessionEnd.Failed(e.getStatus(), false);
        }

        UploadStream stream = client.openUpload(new UploadStream.Listener() {
            @Override
            public void onAck(BatchAck ack) {
                events.offer(new LoopEvent.Ack(generation, ack));
            }

            @Override
            public void onReady() {
                events.offer(new LoopEvent.Ready(generation));
            }

            @Override
            public void onClosed(Status status) {
                events.offer(new LoopEvent.Closed(generation, status));
            }
        });
        return streamUntilDone(client, stream, generation, limits);
    }

    private SessionEnd streamUntilDone(IngestClient client, UploadStream stream, int generation,
            EffectiveLimits limits) {
        RateLimiter rate = new RateLimiter(limits.maxBytesPerSecond(), System::nanoTime);
        long chunk = serverLimits.getMaxAssetChunkBytes() > 0 ? serverLimits.getMaxAssetChunkBytes() : DEFAULT_ASSET_CHUNK;
        chunk = Math.max(1024, Math.min(chunk, limits.maxMessageBytes() - ASSET_CHUNK_ENVELOPE));
        AssetSender sender = new AssetSender(client, experimentId, (int) chunk, serverLimits.getMaxAssetBytes(), rate,
                options.ackTimeout());
        AssetFlight flight = new AssetFlight();
        try {
            return streamUntilDone(client, stream, generation, limits, rate, sender, flight);
        } finally {
            sender.close();
            if (flight.tracked != null) {
                assets.retryLater(flight.tracked, System.nanoTime(), 0, false);
            }
        }
    }

    /** The asset being sent on this connection, if any. */
    private static final class AssetFlight {
        AssetTracker.Tracked tracked;
        boolean progress;
    }

    private SessionEnd streamUntilDone(IngestClient client, UploadStream stream, int generation,
            EffectiveLimits limits, RateLimiter rate, AssetSender sender, AssetFlight flight) {
        InflightWindow window = new InflightWindow(limits.maxInflightBatches());
        long pollNanos = options.pollInterval().toNanos();
        long ackTimeoutNanos = options.ackTimeout().toNanos();
        long nextScan = System.nanoTime() + pollNanos;
        boolean confirmingIdle = false;
        int confirmRounds = 0;
        int sent = 0;
        int acks = 0;
        while (true) {
            long now = System.nanoTime();
            if (checkStop(now)) {
                stream.cancel("aborted");
                return new SessionEnd.Aborted();
            }
            if ((draining || interrupted) && now - graceDeadlineNanos > 0) {
                stream.cancel("grace period over");
                return new SessionEnd.GraceExpired(files.unackedBytes());
            }
            if (interrupted && window.isEmpty()) {
                finishStream(stream, generation);
                return new SessionEnd.Interrupted(files.unackedBytes());
            }
            boolean idle = window.isEmpty() && !files.anyReady() && flight.tracked == null && assets.settled();
            boolean finishing = draining || options.mode() == UploadOptions.Mode.ONCE;
            if (finishing && idle && !interrupted) {
                if (confirmRounds >= MAX_CONFIRM_ROUNDS) {
                    // Files still growing under a once upload: what was there has been uploaded.
                    reportTruncatedTails();
                    finishStream(stream, generation);
                    return draining ? new SessionEnd.Drained() : new SessionEnd.Completed();
                }
                if (!confirmingIdle) {
                    // Everything read is acknowledged; one more scan decides whether anything is left.
                    confirmingIdle = true;
                    nextScan = now;
                }
            }
            if (now - nextScan >= 0) {
                int before = files.fileCount();
                long scanStarted = System.nanoTime();
                long scanNanos;
                FileSet.ScanChanges changes;
                try {
                    // The scan that decides an upload is complete looks at every file, idle ones too.
                    changes = scanChanges(confirmingIdle);
                    scanNanos = System.nanoTime() - scanStarted;
                } catch (LogdirGone gone) {
                    stream.cancel("logdir gone");
                    return new SessionEnd.Fatal(gone.getMessage());
                }
                if (changes == null) {
                    nextScan = now + pollNanos;
                    continue; // sidecar waiting for the logdir to appear
                }
                try {
                    createMissingRuns(client);
                } catch (StatusRuntimeException e) {
                    stream.cancel("run creation failed");
                    return new SessionEnd.Failed(e.getStatus(), acks > 0 || sent == 0);
                }
                if (files.fileCount() > before) {
                    state = "uploading";
                }
                // A logdir of thousands of runs takes long to walk: scanning never takes more than a
                // quarter of the loop's time, so the batches read and sent between scans keep flowing.
                nextScan = System.nanoTime() + Math.max(pollNanos, SCAN_SHARE_FACTOR * scanNanos);
                if (confirmingIdle) {
                    confirmingIdle = false;
                    confirmRounds++;
                    if (!changes.any() && window.isEmpty() && !files.anyReady() && flight.tracked == null
                            && assets.settled()) {
                        reportTruncatedTails();
                        finishStream(stream, generation);
                        return draining ? new SessionEnd.Drained() : new SessionEnd.Completed();
                    }
                }
            }

            while (!interrupted && window.hasRoom() && stream.isReady() && rate.waitNanos() == 0) {
                TailedFile file = files.nextReady();
                if (file == null) {
                    break;
                }
                ReadBatch batch = batches.read(file, limits);
                files.requeue(file);
                if (batch == null) {
                    continue;
                }
                long batchId = nextBatchId++;
                stream.send(RecordBatch.newBuilder()
                        .setBatchId(batchId)
                        .setExperimentId(experimentId)
                        .setRunPath(file.runPath())
                        .setFileName(file.fileName())
                        .setStartOffset(batch.startOffset())
                        .addAllRecords(batch.records())
                        .build());
                window.sent(new SentBatch(batchId, file.key(), batch.startOffset(), batch.endOffset(),
                        batch.records().size(), batch.payloadBytes()), System.nanoTime());
                rate.consume(batch.payloadBytes());
                sent++;
                state = draining ? "draining" : "uploading";
            }
            if (!interrupted && flight.tracked == null && !assetsUnsupported) {
                AssetTracker.Tracked next = assets.nextReady(System.nanoTime());
                if (next != null) {
                    assets.sending(next);
                    flight.tracked = next;
                    sender.start(next.asset(), result -> events.offer(new LoopEvent.AssetDone(generation, next, result)));
                }
            }
            if (!draining && window.isEmpty() && !files.anyReady() && flight.tracked == null) {
                state = options.mode() == UploadOptions.Mode.ONCE ? "finishing" : "waiting for data";
            }

            now = System.nanoTime();
            if (window.stalled(now, ackTimeoutNanos)) {
                stream.cancel("no acknowledgement in time");
                return new SessionEnd.Failed(Status.DEADLINE_EXCEEDED.withDescription(
                        "no acknowledgement for " + options.ackTimeout().toSeconds() + " s with "
                                + window.size() + " batches in flight"), acks > 0);
            }
            long wait = Math.min(MAX_WAIT_NANOS, Math.max(0, nextScan - now));
            long rateWait = rate.waitNanos();
            if (rateWait > 0) {
                wait = Math.min(wait, rateWait);
            }
            LoopEvent event;
            try {
                event = wait > 0 ? events.poll(wait, TimeUnit.NANOSECONDS) : events.poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.abort();
                continue;
            }
            while (event != null) {
                switch (event) {
                    case LoopEvent.Ack a when a.stream() == generation -> {
                        if (onAck(window, a.ack())) {
                            acks++;
                        }
                    }
                    case LoopEvent.Closed c when c.stream() == generation -> {
                        Status status = c.status().isOk()
                                ? Status.UNAVAILABLE.withDescription("the server ended the upload stream")
                                : c.status();
                        return new SessionEnd.Failed(status, acks > 0 || flight.progress
                                || (sent == 0 && window.isEmpty()));
                    }
                    case LoopEvent.AssetDone d when d.stream() == generation && d.tracked() == flight.tracked -> {
                        flight.tracked = null;
                        Status failed = onAssetDone(d.tracked(), d.result());
                        if (failed != null) {
                            stream.cancel("asset upload failed");
                            return new SessionEnd.Failed(failed, acks > 0 || flight.progress);
                        }
                        flight.progress = true;
                    }
                    default -> {
                        // Ready and Wake only wake the loop; events of older streams are stale.
                    }
                }
                event = events.poll();
            }
            showProgress();
        }
    }

    private boolean onAck(InflightWindow window, BatchAck ack) {
        SentBatch batch = window.acked(ack.getBatchId(), System.nanoTime());
        if (batch == null) {
            return false;
        }
        TailedFile file = files.get(batch.fileKey());
        if (file != null) {
            file.ack(ack.getCommittedOffset());
        }
        if (ack.getCommittedOffset() < batch.endOffset()) {
            reporter.event(Level.WARN, "short_ack", "server acknowledged batch " + batch.batchId() + " of "
                            + batch.fileKey().replace('\0', '/') + " only up to offset " + ack.getCommittedOffset()
                            + " (sent up to " + batch.endOffset() + "); it will be re-sent after a reconnect",
                    "batch_id", batch.batchId(), "committed_offset", ack.getCommittedOffset());
        }
        bytesAcked += batch.fileBytes();
        recordsAcked += ack.getRecordsAccepted() + ack.getRecordsDuplicate();
        recordsDuplicate += ack.getRecordsDuplicate();
        return true;
    }

    /**
     * Takes the outcome of one asset upload; returns a status when the connection must be given
     * up (the server or network failed, or refused the credentials), null otherwise.
     */
    private Status onAssetDone(AssetTracker.Tracked t, AssetSender.Result result) {
        DiscoveredAsset asset = t.asset();
        long now = System.nanoTime();
        switch (result) {
            case AssetSender.Result.Stored stored -> {
                assets.done(t);
                reporter.event(Level.INFO, "asset_uploaded", (stored.alreadyStored() ? "already on the server: "
                                : "uploaded ") + asset.displayName() + " (" + asset.size() + " bytes)",
                        "file", asset.displayName(), "bytes", asset.size(), "sent_bytes", stored.sentBytes());
            }
            case AssetSender.Result.Changed changed -> assets.changed(t);
            case AssetSender.Result.Unreadable u -> {
                assets.skip(t);
                report(new Problem(u.vanished() ? Problem.Kind.FILE_VANISHED : Problem.Kind.UNREADABLE_FILE,
                        asset.runPath(), asset.displayName(), -1, u.message()));
            }
            case AssetSender.Result.TooLarge large -> {
                assets.skip(t);
                report(new Problem(Problem.Kind.ASSET_REFUSED, asset.runPath(), asset.displayName(), -1,
                        "%s has %d bytes, more than the server stores per asset (%d); not uploaded".formatted(
                                asset.file(), large.size(), large.max())));
            }
            case AssetSender.Result.Failed f -> {
                Status status = f.status();
                switch (status.getCode()) {
                    case UNIMPLEMENTED -> {
                        assets.retryLater(t, now, 0, false);
                        assets.skipAllPending();
                        assetsUnsupported = true;
                        report(new Problem(Problem.Kind.ASSETS_UNSUPPORTED, null, asset.displayName(), -1,
                                "the ingest server does not take asset files (" + describe(status) + "); "
                                        + "plugin files such as profiler traces were not uploaded"));
                    }
                    case INVALID_ARGUMENT, ALREADY_EXISTS, FAILED_PRECONDITION, OUT_OF_RANGE -> {
                        assets.skip(t);
                        report(new Problem(Problem.Kind.ASSET_REFUSED, asset.runPath(), asset.displayName(), -1,
                                asset.file() + " was refused by the server: " + describe(status)));
                    }
                    case DATA_LOSS -> {
                        // The server discarded what it got (a checksum did not match): send it again, a few times.
                        assets.retryLater(t, now, TimeUnit.SECONDS.toNanos(1), true);
                        if (t.failures() >= MAX_ASSET_ATTEMPTS) {
                            assets.skip(t);
                            report(new Problem(Problem.Kind.ASSET_REFUSED, asset.runPath(), asset.displayName(), -1,
                                    asset.file() + " failed its checksum " + t.failures() + " times: "
                                            + describe(status)));
                        }
                    }
                    // Another stream (a connection the server has not seen end yet) still holds it.
                    case ABORTED -> assets.retryLater(t, now, TimeUnit.MILLISECONDS.toNanos(500), false);
                    default -> {
                        assets.retryLater(t, now, 0, false);
                        return status;
                    }
                }
            }
        }
        return null;
    }

    private static String describe(Status status) {
        return status.getCode() + (status.getDescription() != null ? ": " + status.getDescription() : "");
    }

    /** Half-closes a finished stream and waits briefly for the server to complete it. */
    private void finishStream(UploadStream stream, int generation) {
        stream.halfClose();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        try {
            while (System.nanoTime() - deadline < 0) {
                LoopEvent event = events.poll(50, TimeUnit.MILLISECONDS);
                if (event instanceof LoopEvent.Closed c && c.stream() == generation) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stream.cancel("upload complete");
    }

    /** Scan at session start; null when fine. */
    private SessionEnd scan(IngestClient client) {
        try {
            scanChanges(true);
            return null;
        } catch (LogdirGone gone) {
            return new SessionEnd.Fatal(gone.getMessage());
        }
    }

    /**
     * Scans the logdir (every entry, or what may have changed); null when it does not exist yet
     * (sidecar waiting for it).
     */
    private FileSet.ScanChanges scanChanges(boolean everything) throws LogdirGone {
        LogdirScan scan;
        try {
            scan = everything ? discovery.scanEverything() : discovery.scan();
        } catch (LogdirMissingException e) {
            if (logdirSeen || options.mode() == UploadOptions.Mode.ONCE) {
                throw new LogdirGone(e.getMessage() + "; " + unackedSummary());
            }
            if (!waitingForLogdirReported) {
                waitingForLogdirReported = true;
                state = "waiting for logdir";
                reporter.event(Level.INFO, "waiting_for_logdir", "waiting for " + options.logdir() + " to appear",
                        "logdir", options.logdir());
            }
            return null;
        } catch (IOException e) {
            throw new LogdirGone("cannot list logdir " + options.logdir() + ": " + e);
        }
        logdirSeen = true;
        scan = refusals.admit(scan);
        FileSet.ScanChanges changes = files.apply(scan);
        if (options.uploadAssets() && !assetsUnsupported) {
            assets.apply(scan.assets(), System.currentTimeMillis());
            if (draining && stop.trainingEnded()) {
                assets.markAllComplete();
            }
        }
        for (String run : changes.newRuns()) {
            reporter.event(Level.INFO, "run_found", "found run " + run, "run", run);
        }
        return changes;
    }

    private String unackedSummary() {
        long unacked = files.unackedBytes();
        return unacked == 0 ? "everything found before was acknowledged"
                : unacked + " bytes found before were not acknowledged";
    }

    /** Creates the runs found since the last call; a run whose name the server refuses is left out, not fatal. */
    private void createMissingRuns(IngestClient client) {
        List<String> missing = files.runs().stream().filter(run -> !createdRuns.contains(run)).toList();
        if (missing.isEmpty()) {
            return;
        }
        Map<String, StatusRuntimeException> refused = client.createRuns(experimentId, missing, CREATE_RUN_CALLS);
        StatusRuntimeException retry = null;
        for (String run : missing) {
            StatusRuntimeException e = refused.get(run);
            if (e == null) {
                createdRuns.add(run);
            } else if (e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT) {
                retry = retry == null ? e : retry;  // the session fails with the first, the rest are tried again
            } else {
                refusals.refusedByServer(run, describe(e.getStatus()));
                files.forgetRun(run);
                assets.skipRun(run);
            }
        }
        if (retry != null) {
            throw retry;
        }
    }

    /** Notices a stop request or marker; true when the loop must end at once (abort). */
    private boolean checkStop(long now) {
        if (stop.aborted()) {
            return true;
        }
        if (!draining && !interrupted && stop.shouldStop()) {
            graceDeadlineNanos = now + options.gracePeriod().toNanos();
            if (options.mode() == UploadOptions.Mode.ONCE) {
                interrupted = true;
                state = "stopping";
                reporter.event(Level.INFO, "stopping", stop.reason() + ": waiting for what is in flight, then stopping",
                        "reason", stop.reason());
                return false;
            }
            draining = true;
            state = "draining";
            if (stop.trainingEnded()) {
                files.markAllComplete();
                assets.markAllComplete();
            }
            reporter.event(Level.INFO, "draining", stop.reason() + ": uploading what is left (grace period "
                    + options.gracePeriod().toSeconds() + " s)", "reason", stop.reason());
        }
        return false;
    }

    private void reportTruncatedTails() {
        for (TailedFile file : files.files()) {
            if (file.tailPartialBytes() > 0 && !file.failed()) {
                long offset = file.nextOffset();
                report(new Problem(Problem.Kind.TRUNCATED_TAIL, file.runPath(), file.displayName(), offset,
                        "%s ends with %d bytes of an incomplete record at offset %d (%s); not uploaded".formatted(
                                file.path(), file.tailPartialBytes(), offset,
                                draining ? "its writer may have stopped mid-record" : "still being written?")));
            }
        }
    }

    void report(Problem problem) {
        problemCount++;
        if (problem.kind().dataSkipped()) {
            dataSkipped = true;
        }
        if (problems.size() < MAX_PROBLEMS_KEPT) {
            problems.add(problem);
        }
        reporter.event(problem.kind().dataSkipped() ? Level.WARN : Level.INFO, "problem", problem.message(),
                "kind", problem.kind().name().toLowerCase(), "file", problem.file(), "offset", problem.offset());
    }

    public void showProgress() {
        long now = System.nanoTime();
        if (lastProgressNanos != Long.MIN_VALUE && now - lastProgressNanos < PROGRESS_EVERY_NANOS) {
            return;
        }
        lastProgressNanos = now;
        reporter.progress(snapshot(), now);
    }

    public ProgressSnapshot snapshot() {
        long now = System.nanoTime();
        lastRate = rateMeter.sample(now, bytesAcked);
        return new ProgressSnapshot(state, files.runs().size(), files.fileCount(), bytesAcked, recordsAcked,
                files.unackedBytes() + assets.pendingBytes(), lastRate, reconnects, problemCount);
    }

    /**
     * A connection failed and another is about to be tried. Only a connection that worked before
     * counts as a reconnect: an upload started just before ingest listens is still connecting.
     */
    public void reconnecting(String why) {
        if (connectedOnce) {
            reconnects++;
            state = "reconnecting (" + why + ")";
        } else {
            state = "connecting (" + why + ")";
        }
    }

    /** True once any connection to ingest worked. */
    public boolean connectedOnce() {
        return connectedOnce;
    }

    public boolean draining() {
        return draining;
    }

    /** Nanos left in the grace period (only meaningful while draining). */
    public long graceRemainingNanos() {
        return graceDeadlineNanos - System.nanoTime();
    }

    public String experimentId() {
        return experimentId;
    }

    public Set<String> runs() {
        return files.runs();
    }

    public int fileCount() {
        return files.fileCount();
    }

    public int assetsUploaded() {
        return assets.uploaded();
    }

    public long assetBytesUploaded() {
        return assets.bytesUploaded();
    }

    public int assetCount() {
        return assets.count();
    }

    public long bytesAcked() {
        return bytesAcked;
    }

    public long recordsAcked() {
        return recordsAcked;
    }

    public long recordsDuplicate() {
        return recordsDuplicate;
    }

    public int reconnects() {
        return reconnects;
    }

    public List<Problem> problems() {
        return problems;
    }

    public int problemCount() {
        return problemCount;
    }

    public boolean dataSkipped() {
        return dataSkipped;
    }

    public long unackedBytes() {
        return files.unackedBytes();
    }

    public StopControl stop() {
        return stop;
    }

    public void setState(String state) {
        this.state = state;
    }

    public void close() {
        files.close();
    }

    /** The logdir vanished (or cannot be listed) after it was seen. */
    private static final class LogdirGone extends Exception {
        LogdirGone(String message) {
            super(message, null, false, false);
        }
    }
}
