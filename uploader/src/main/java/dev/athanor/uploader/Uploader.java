package dev.athanor.uploader;

import dev.athanor.proto.ingest.v1.RunStatus;
import dev.athanor.uploader.auth.AuthorizationServer;
import dev.athanor.uploader.auth.ClientCredentialsTokenSource;
import dev.athanor.uploader.discovery.RunDiscovery;
import dev.athanor.uploader.discovery.LogdirRunDiscovery;
import dev.athanor.uploader.flow.Backoff;
import dev.athanor.uploader.progress.LogReporter;
import dev.athanor.uploader.progress.Reporter;
import dev.athanor.uploader.progress.Reporter.Level;
import dev.athanor.uploader.progress.TerminalReporter;
import dev.athanor.uploader.progress.Terminals;
import dev.athanor.uploader.session.SessionEnd;
import dev.athanor.uploader.session.StopControl;
import dev.athanor.uploader.session.TerminationSignals;
import dev.athanor.uploader.session.UploadLoop;
import dev.athanor.uploader.transport.FailureKind;
import dev.athanor.uploader.transport.IngestClient;
import dev.athanor.uploader.transport.IngestTarget;
import dev.athanor.uploader.transport.TokenSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Uploads a logdir to the ingest service: {@code Uploader.run(options)} blocks until the upload
 * ends and says how ({@link UploadResult#exitCode()} is the process exit code).
 *
 * <p>Connection failures are retried with exponential backoff and jitter; every (re)connect asks
 * the server for its committed offsets and continues exactly from there, so restarts and network
 * drops lose and duplicate nothing. With a list of endpoints every retry goes to the next address
 * ({@link IngestTarget}: round robin per connection). Refused credentials end the upload at once.
 *
 * <p>{@link #requestStop()} (what SIGTERM does) drains: it uploads what is left within the grace
 * period, marks the runs finished (sidecar mode) and returns. {@link #abort()} stops at once.
 */
public final class Uploader {

    private final UploadOptions options;
    private final Function<UploadOptions, RunDiscovery> discoveryFactory;
    private final StopControl stop;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile UploadLoop loop;
    private volatile IngestClient client;

    public Uploader(UploadOptions options) {
        this(options, o -> new LogdirRunDiscovery(o.logdir(), o.pollInterval(), Clock.systemUTC()));
    }

    /** With another way to find runs (the default walks the logdir as TensorBoard does). */
    public Uploader(UploadOptions options, Function<UploadOptions, RunDiscovery> discoveryFactory) {
        this.options = options;
        this.discoveryFactory = discoveryFactory;
        this.stop = new StopControl(options.mode() == UploadOptions.Mode.SIDECAR ? options.effectiveStopFile() : null);
    }

    /** Runs an upload to its end. */
    public static UploadResult run(UploadOptions options) {
        return new Uploader(options).run();
    }

    /** Finish what is there within the grace period, then end (SIGTERM does this). Thread-safe. */
    public void requestStop() {
        stop.request();
        UploadLoop current = loop;
        if (current != null) {
            current.wake();
        }
    }

    /** Stop at once without draining: {@link #run()} returns {@link Outcome#ABORTED}. Thread-safe. */
    public void abort() {
        stop.abort();
        IngestClient current = client;
        if (current != null) {
            current.shutdownNow();
        }
        UploadLoop l = loop;
        if (l != null) {
            l.wake();
        }
    }

    /** Blocks until {@link #run()} has returned, at most {@code timeout}. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs the upload; call once. */
    public UploadResult run() {
        long started = System.nanoTime();
        Reporter reporter = reporter();
        try {
            IngestTarget endpoint;
            TokenSource token;
            String invalid = invalidSetting(options);
            if (invalid != null) {
                return invalid(reporter, invalid, started);
            }
            try {
                endpoint = IngestTarget.parse(options.endpoint());
                token = tokenSource(options);
            } catch (IllegalArgumentException | IOException e) {
                return invalid(reporter, e.getMessage(), started);
            }
            if (options.mode() == UploadOptions.Mode.ONCE && !Files.isDirectory(options.logdir())) {
                return invalid(reporter, "logdir " + options.logdir() + (Files.exists(options.logdir())
                        ? " is not a directory" : " does not exist"), started);
            }
            if (options.tlsCaFile() != null && !Files.isReadable(options.tlsCaFile())) {
                return invalid(reporter, "TLS CA file " + options.tlsCaFile() + " cannot be read", started);
            }
            boolean tls = endpoint.tlsByScheme() != null ? endpoint.tlsByScheme() : options.tls();
            loop = new UploadLoop(options, discoveryFactory.apply(options), reporter, stop);
            try (TerminationSignals signals = options.handleSignals()
                    ? TerminationSignals.install(this::requestStop, this::abort, this::awaitEndQuietly)
                    : null) {
                client = IngestClient.open(endpoint, firstEndpoint(endpoint), tls, options.tlsCaFile(), token,
                        options.rpcTimeout(), options.clientVersion());
                if (stop.aborted()) {
                    client.shutdownNow();
                }
                if (!tls && !(token instanceof TokenSource.NoToken) && !endpoint.loopbackOnly()) {
                    reporter.event(Level.WARN, "plaintext_token", "sending " + token.describe()
                            + " over plaintext to " + endpoint + "; use --tls outside a trusted network");
                }
                return supervise(endpoint, token, reporter, started);
            } catch (IOException e) {
                return invalid(reporter, "cannot set up the connection to " + endpoint + ": " + e.getMessage(), started);
            } finally {
                if (client != null) {
                    client.shutdownNow();
                }
                loop.close();
            }
        } finally {
            ended.countDown();
        }
    }

    /** Client credentials when a client id is given, else a token file or variable (or none). */
    static TokenSource tokenSource(UploadOptions o) throws IOException {
        if (o.clientId() == null) {
            return TokenSource.from(o.tokenFile(), o.tokenEnv(), o.environment());
        }
        AuthorizationServer server = o.issuer() != null
                ? AuthorizationServer.ofIssuer(o.issuer()) : AuthorizationServer.ofTokenEndpoint(o.tokenUrl());
        return ClientCredentialsTokenSource.checked(server, o.clientId(), o.clientSecretFile(), Clock.systemUTC());
    }

    /** Where the first connection goes: as the options say, else anywhere in the list (uploaders spread). */
    private int firstEndpoint(IngestTarget target) {
        int size = target.endpoints().size();
        if (options.firstEndpoint() >= 0) {
            return options.firstEndpoint() % size;
        }
        return size == 1 ? 0 : ThreadLocalRandom.current().nextInt(size);
    }

    private UploadResult supervise(IngestTarget endpoint, TokenSource token, Reporter reporter, long started) {
        UploadLoop l = loop;
        Backoff backoff = new Backoff(options.initialBackoff(), options.maxBackoff(), ThreadLocalRandom.current());
        long failingSince = -1;
        // A refused token is renewed once; a second refusal in a row ends the upload.
        boolean renewedAfterRefusal = false;
        while (true) {
            SessionEnd end = l.runSession(client);
            switch (end) {
                case SessionEnd.Aborted a -> {
                    return finish(reporter, Outcome.ABORTED, "aborted; "
                            + describeUnacked(l) + " (a later upload resumes from what the server committed)", started);
                }
                case SessionEnd.Completed c -> {
                    if (options.finishRuns()) {
                        String failure = finishRuns(reporter, backoff, System.nanoTime() + options.retryTimeout().toNanos());
                        if (failure != null) {
                            return finish(reporter, Outcome.FAILED, failure, started);
                        }
                    }
                    return completed(reporter, started);
                }
                case SessionEnd.Drained d -> {
                    if (options.finishRuns()) {
                        String failure = finishRuns(reporter, backoff,
                                System.nanoTime() + Math.max(l.graceRemainingNanos(), options.rpcTimeout().toNanos()));
                        if (failure != null) {
                            return finish(reporter, Outcome.FAILED, failure, started);
                        }
                    }
                    return completed(reporter, started);
                }
                case SessionEnd.Interrupted i -> {
                    return finish(reporter, Outcome.ABORTED, "stopped on request; everything sent was acknowledged, "
                            + i.unackedBytes() + " bytes were not uploaded (a later upload resumes from there)", started);
                }
                case SessionEnd.GraceExpired g -> {
                    return finish(reporter, Outcome.DRAIN_TIMEOUT, "the grace period of "
                            + options.gracePeriod().toSeconds() + " s ended with " + g.unackedBytes()
                            + " bytes not acknowledged; runs were not marked finished (a later upload resumes)", started);
                }
                case SessionEnd.Fatal f -> {
                    return finish(reporter, Outcome.FAILED, f.message(), started);
                }
                case SessionEnd.Failed f -> {
                    if (stop.aborted()) {
                        continue; // the next session notices the abort
                    }
                    Status status = f.status();
                    if (f.madeProgress()) {
                        renewedAfterRefusal = false;
                    }
                    switch (FailureKind.of(status)) {
                        case AUTH -> {
                            if (status.getCause() instanceof IOException tokenProblem) {
                                // The token could not be had at all (the call was never sent).
                                return finish(reporter, Outcome.AUTH_REJECTED, "could not get a token from "
                                        + token.describe() + ": " + tokenProblem.getMessage(), started);
                            }
                            if (status.getCode() == Status.Code.UNAUTHENTICATED && !renewedAfterRefusal
                                    && token.renew(null)) {
                                renewedAfterRefusal = true;
                                reporter.event(Level.WARN, "token_renewed", "the ingest endpoint refused the token ("
                                        + describe(status) + "); fetching a new one and trying once more",
                                        "code", status.getCode());
                                continue;
                            }
                            return finish(reporter, Outcome.AUTH_REJECTED, "the ingest endpoint " + endpoint
                                    + " rejected the credentials (" + describe(status) + "); "
                                    + (token instanceof TokenSource.NoToken
                                    ? "no token was given: pass --client-id with --client-secret-file and --issuer, or --token-file, or set $" + options.tokenEnv()
                                    : "check " + token.describe()), started);
                        }
                        case PERMANENT -> {
                            return finish(reporter, Outcome.FAILED, "the ingest endpoint " + endpoint
                                    + " refused the upload: " + describe(status), started);
                        }
                        case TRANSIENT -> {
                            long now = System.nanoTime();
                            if (f.madeProgress()) {
                                backoff.reset();
                                failingSince = now;
                            } else if (failingSince < 0) {
                                failingSince = now;
                            }
                            if (now - failingSince > options.retryTimeout().toNanos()) {
                                return finish(reporter, Outcome.FAILED, "could not upload to " + endpoint + " for "
                                        + options.retryTimeout().toSeconds() + " s (last error: " + describe(status)
                                        + "); is the endpoint right and ingest running? " + describeUnacked(l), started);
                            }
                            Duration delay = backoff.nextDelay();
                            l.reconnecting(status.getCode().name());
                            String again = l.connectedOnce() ? "reconnecting" : "connecting";
                            reporter.event(Level.WARN, again, describe(status) + "; " + again + " in "
                                            + delay.toMillis() + " ms",
                                    "code", status.getCode(), "delay_ms", delay.toMillis(), "attempt", backoff.failures());
                            sleep(delay, l);
                            // The next connection goes to the next address of a list (round robin per connection).
                            client.rotate();
                            client.resetConnectBackoff();
                        }
                    }
                }
            }
        }
    }

    /** Waits out a backoff delay, showing progress, cut short by an abort. */
    private void sleep(Duration delay, UploadLoop l) {
        long until = System.nanoTime() + delay.toNanos();
        while (!stop.aborted()) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            l.showProgress();
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.abort();
            }
        }
    }

    /** Marks every run finished (or failed, per the stop marker); null on success, else why not. */
    private String finishRuns(Reporter reporter, Backoff backoff, long deadlineNanos) {
        UploadLoop l = loop;
        RunStatus status = stop.runStatus();
        List<String> pending = new ArrayList<>(l.runs());
        Status last = null;
        while (!pending.isEmpty()) {
            String run = pending.get(0);
            try {
                client.finishRun(l.experimentId(), run, status);
                pending.remove(0);
                backoff.reset();
            } catch (StatusRuntimeException e) {
                last = e.getStatus();
                if (FailureKind.of(last) != FailureKind.TRANSIENT || System.nanoTime() - deadlineNanos > 0
                        || stop.aborted()) {
                    break;
                }
                Duration delay = backoff.nextDelay();
                sleep(delay, l);
                client.rotate();
                client.resetConnectBackoff();
            }
        }
        if (!pending.isEmpty()) {
            return "everything was uploaded, but " + pending.size() + " run(s) could not be marked "
                    + statusWord(status) + " (" + (last == null ? "aborted" : describe(last)) + ")";
        }
        reporter.event(Level.INFO, "runs_finished", "marked " + l.runs().size() + " run(s) " + statusWord(status),
                "runs", l.runs().size(), "status", status);
        return null;
    }

    private UploadResult completed(Reporter reporter, long started) {
        UploadLoop l = loop;
        Outcome outcome = l.dataSkipped() ? Outcome.PARTIAL : Outcome.SUCCESS;
        String message = "uploaded " + l.recordsAcked() + " records (" + l.bytesAcked() + " bytes) of "
                + l.runs().size() + " run(s), " + l.fileCount() + " file(s) to experiment '" + options.experiment()
                + "' (" + l.experimentId() + ")";
        if (l.assetCount() > 0) {
            message += ", and " + l.assetsUploaded() + " of " + l.assetCount() + " plugin asset file(s) ("
                    + l.assetBytesUploaded() + " bytes)";
        }
        if (l.recordsDuplicate() > 0) {
            message += "; " + l.recordsDuplicate() + " re-sent records were already on the server";
        }
        if (outcome == Outcome.PARTIAL) {
            message += "; some data was skipped (" + l.problemCount() + " problem(s), each named above)";
        }
        return finish(reporter, outcome, message, started);
    }

    /** The first setting that cannot work, as a sentence; null when all can. */
    static String invalidSetting(UploadOptions o) {
        if (o.experiment().isBlank()) {
            return "the experiment name is empty";
        }
        if (o.project().isBlank()) {
            return "the project name is empty";
        }
        for (var d : List.of(java.util.Map.entry("poll interval", o.pollInterval()),
                java.util.Map.entry("initial backoff", o.initialBackoff()),
                java.util.Map.entry("RPC timeout", o.rpcTimeout()),
                java.util.Map.entry("ack timeout", o.ackTimeout()))) {
            if (d.getValue().isNegative() || d.getValue().isZero()) {
                return "the " + d.getKey() + " must be positive, got " + d.getValue();
            }
        }
        if (o.gracePeriod().isNegative() || o.retryTimeout().isNegative() || o.maxBackoff().isNegative()
                || o.assetQuietPeriod().isNegative()
                || o.progressInterval().isNegative()) {
            return "durations must not be negative";
        }
        if (o.clientId() != null) {
            if (o.clientSecretFile() == null) {
                return "--client-id " + o.clientId() + " needs --client-secret-file (the file holding the client's secret)";
            }
            if ((o.issuer() == null) == (o.tokenUrl() == null)) {
                return "--client-id needs exactly one of --issuer (the realm's URL, e.g. "
                        + "https://keycloak.example/realms/athanor) and --token-url";
            }
            if (o.tokenFile() != null) {
                return "--token-file and --client-id exclude each other: give a token, or the client credentials to fetch one";
            }
        } else if (o.clientSecretFile() != null || o.tokenUrl() != null || o.issuer() != null) {
            return "--client-secret-file, --issuer and --token-url are for client credentials: give --client-id too";
        }
        if (o.maxOpenFiles() < 1) {
            return "max open files must be at least 1, got " + o.maxOpenFiles();
        }
        if (o.maxBatchBytes() < 0 || o.maxInflightBatches() < 0 || o.maxBytesPerSecond() < 0) {
            return "batch, in-flight and rate limits must not be negative (0 means the server's)";
        }
        return null;
    }

    private UploadResult invalid(Reporter reporter, String message, long started) {
        reporter.finish(new dev.athanor.uploader.progress.ProgressSnapshot("not started", 0, 0, 0, 0, 0, 0, 0, 0),
                Outcome.INVALID_OPTIONS.name().toLowerCase(), Outcome.INVALID_OPTIONS.exitCode(), message);
        return new UploadResult(Outcome.INVALID_OPTIONS, message, null, 0, 0, 0, 0, 0, 0, List.of(), 0,
                Duration.ofNanos(System.nanoTime() - started), 0, 0);
    }

    private UploadResult finish(Reporter reporter, Outcome outcome, String message, long started) {
        UploadLoop l = loop;
        l.setState(outcome.name().toLowerCase().replace('_', ' '));
        reporter.finish(l.snapshot(), outcome.name().toLowerCase(), outcome.exitCode(), message);
        List<Problem> problems = l.problems();
        return new UploadResult(outcome, message, l.experimentId(), l.runs().size(), l.fileCount(), l.bytesAcked(),
                l.recordsAcked(), l.recordsDuplicate(), l.reconnects(), problems,
                l.problemCount() - problems.size(), Duration.ofNanos(System.nanoTime() - started), l.assetsUploaded(),
                l.assetBytesUploaded());
    }

    private Reporter reporter() {
        long interval = options.progressInterval().toNanos();
        return switch (options.progress()) {
            case TERMINAL -> new TerminalReporter(options.out());
            case LOG -> new LogReporter(options.out(), Clock.systemUTC(), interval, false);
            case QUIET -> new LogReporter(options.out(), Clock.systemUTC(), interval, true);
            case AUTO -> Terminals.isInteractive() ? new TerminalReporter(options.out())
                    : new LogReporter(options.out(), Clock.systemUTC(), interval, false);
        };
    }

    private void awaitEndQuietly() {
        try {
            awaitEnd(options.gracePeriod().plusSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describeUnacked(UploadLoop l) {
        long unacked = l.unackedBytes();
        return unacked == 0 ? "nothing found was left unacknowledged"
                : unacked + " bytes found were not acknowledged yet";
    }

    private static String describe(Status status) {
        return status.getCode() + (status.getDescription() != null ? ": " + status.getDescription() : "")
                + (status.getCause() != null && status.getDescription() == null ? ": " + status.getCause() : "");
    }

    private static String statusWord(RunStatus status) {
        return status == RunStatus.RUN_STATUS_FAILED ? "failed" : "finished";
    }

}
