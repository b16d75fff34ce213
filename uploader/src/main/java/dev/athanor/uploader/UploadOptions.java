package dev.athanor.uploader;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one upload needs. Build with {@link #builder(Path, String, String)}; every setting
 * but the logdir, the experiment and the endpoint has a default suited to the sidecar.
 *
 * @param logdir              the TensorBoard logdir to upload (runs are found below it)
 * @param experiment          experiment name; created on the server if missing
 * @param project             tenancy unit on the server ("default" when auth is off)
 * @param endpoint            ingest gRPC endpoint, {@code HOST:PORT} ({@code https://HOST[:PORT]} implies TLS), a
 *                            comma-separated list of them (round robin per connection), or
 *                            {@code dns:///HOST:PORT} (every address of the name, round robin per call);
 *                            see {@link dev.athanor.uploader.transport.IngestTarget}
 * @param mode                {@link Mode#ONCE} or {@link Mode#SIDECAR}
 * @param tls                 use TLS to the endpoint (plaintext otherwise)
 * @param tlsCaFile           PEM file of CA certificates to trust instead of the system's, or null
 * @param tokenFile           file holding a bearer token (re-read when it changes), or null
 * @param tokenEnv            environment variable holding a bearer token when no file is given
 * @param clientId            confidential client fetching its own tokens (client-credentials grant), or null
 * @param clientSecretFile    file holding that client's secret (re-read on every token fetch), or null
 * @param issuer              the authorization server's issuer URL (token endpoint found by OpenID
 *                            discovery), e.g. {@code https://keycloak.example/realms/athanor}, or null
 * @param tokenUrl            the token endpoint itself, instead of {@code issuer}, or null
 * @param stopFile            sidecar mode: the marker whose appearance means "training ended"
 *                            (null: {@code <logdir>/.athanor-stop})
 * @param gracePeriod         after a stop request, how long draining may take before giving up
 * @param finishRuns          mark every run finished at the end (default: sidecar yes, once no)
 * @param pollInterval        how often the logdir is scanned for new runs, files and bytes
 * @param retryTimeout        give up when the server has been unreachable (or failing) this long
 * @param initialBackoff      first reconnect delay; doubles per failure (with jitter)
 * @param maxBackoff          reconnect delay ceiling
 * @param rpcTimeout          deadline of each unary call
 * @param ackTimeout          in-flight batches unacknowledged this long mean a dead stream: reconnect
 * @param maxBatchBytes       client cap on the payload bytes of one batch (the server's limit wins if smaller)
 * @param maxInflightBatches  client cap on unacknowledged batches (the server's limit wins if smaller)
 * @param maxBytesPerSecond   client cap on the upload rate, 0 = none (the server's limit wins if smaller)
 * @param maxOpenFiles        event files kept open at once (bounds memory and descriptors)
 * @param progress            how progress is shown
 * @param progressInterval    how often a progress log line is written when not on a terminal
 * @param out                 where progress and messages go
 * @param handleSignals       install SIGTERM/SIGINT handlers that drain instead of dying (CLI: yes)
 * @param environment         environment variables (for the token), normally {@code System.getenv()}
 * @param clientVersion       sent in the handshake
 * @param uploadAssets        upload the runs' asset files ({@code <run>/plugins/**}, e.g. profiler traces,
 *                            and PyTorch's {@code <run>/*.pt.trace.json[.gz]})
 * @param assetQuietPeriod    an asset file counts as complete once its size and time were unchanged
 *                            over two scans and it was not modified for this long (or the training ended)
 * @param firstEndpoint       with a list of endpoints, the index of the one the first connection goes to;
 *                            -1 (the default) picks one at random, so many uploaders spread over the list
 */
public record UploadOptions(
        Path logdir,
        String experiment,
        String project,
        String endpoint,
        Mode mode,
        boolean tls,
        Path tlsCaFile,
        Path tokenFile,
        String tokenEnv,
        String clientId,
        Path clientSecretFile,
        String issuer,
        String tokenUrl,
        Path stopFile,
        Duration gracePeriod,
        boolean finishRuns,
        Duration pollInterval,
        Duration retryTimeout,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration rpcTimeout,
        Duration ackTimeout,
        long maxBatchBytes,
        int maxInflightBatches,
        long maxBytesPerSecond,
        int maxOpenFiles,
        ProgressMode progress,
        Duration progressInterval,
        PrintStream out,
        boolean handleSignals,
        Map<String, String> environment,
        String clientVersion,
        boolean uploadAssets,
        Duration assetQuietPeriod,
        int firstEndpoint) {

    public static final String DEFAULT_TOKEN_ENV = "ATHANOR_TOKEN";
    public static final String DEFAULT_STOP_FILE_NAME = ".athanor-stop";

    public enum Mode {
        /** Upload what is there, exit when all of it is acknowledged. */
        ONCE,
        /** Keep tailing until the stop marker appears or a stop is requested, then drain. */
        SIDECAR
    }

    public enum ProgressMode {
        /** A live line on a terminal, log lines otherwise. */
        AUTO,
        /** A live progress line (carriage return), messages above it. */
        TERMINAL,
        /** Plain structured (logfmt) lines. */
        LOG,
        /** Only warnings, errors and the final summary, as log lines. */
        QUIET
    }

    public UploadOptions {
        Objects.requireNonNull(logdir, "logdir");
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(retryTimeout, "retryTimeout");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(rpcTimeout, "rpcTimeout");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(clientVersion, "clientVersion");
        Objects.requireNonNull(assetQuietPeriod, "assetQuietPeriod");
    }

    /** The stop marker in effect (the default lives in the logdir, which both containers share). */
    public Path effectiveStopFile() {
        return stopFile != null ? stopFile : logdir.resolve(DEFAULT_STOP_FILE_NAME);
    }

    public static Builder builder(Path logdir, String experiment, String endpoint) {
        return new Builder(logdir, experiment, endpoint);
    }

    public Builder toBuilder() {
        Builder b = new Builder(logdir, experiment, endpoint);
        b.project = project;
        b.mode = mode;
        b.tls = tls;
        b.tlsCaFile = tlsCaFile;
        b.tokenFile = tokenFile;
        b.tokenEnv = tokenEnv;
        b.clientId = clientId;
        b.clientSecretFile = clientSecretFile;
        b.issuer = issuer;
        b.tokenUrl = tokenUrl;
        b.stopFile = stopFile;
        b.gracePeriod = gracePeriod;
        b.finishRuns = finishRuns;
        b.pollInterval = pollInterval;
        b.retryTimeout = retryTimeout;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.rpcTimeout = rpcTimeout;
        b.ackTimeout = ackTimeout;
        b.maxBatchBytes = maxBatchBytes;
        b.maxInflightBatches = maxInflightBatches;
        b.maxBytesPerSecond = maxBytesPerSecond;
        b.maxOpenFiles = maxOpenFiles;
        b.progress = progress;
        b.progressInterval = progressInterval;
        b.out = out;
        b.handleSignals = handleSignals;
        b.environment = environment;
        b.clientVersion = clientVersion;
        b.uploadAssets = uploadAssets;
        b.assetQuietPeriod = assetQuietPeriod;
        b.firstEndpoint = firstEndpoint;
        return b;
    }

    /** Defaults: sidecar mode, plaintext, token from $ATHANOR_TOKEN, 2 min retry budget. */
    public static final class Builder {
        private final Path logdir;
        private final String experiment;
        private final String endpoint;
        private String project = "default";
        private Mode mode = Mode.SIDECAR;
        private boolean tls;
        private Path tlsCaFile;
        private Path tokenFile;
        private String tokenEnv = DEFAULT_TOKEN_ENV;
        private String clientId;
        private Path clientSecretFile;
        private String issuer;
        private String tokenUrl;
        private Path stopFile;
        private Duration gracePeriod = Duration.ofSeconds(30);
        private Boolean finishRuns;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration retryTimeout = Duration.ofMinutes(2);
        private Duration initialBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration rpcTimeout = Duration.ofSeconds(30);
        private Duration ackTimeout = Duration.ofSeconds(60);
        private long maxBatchBytes = 4L << 20;
        private int maxInflightBatches = 16;
        private long maxBytesPerSecond;
        private int maxOpenFiles = 128;
        private ProgressMode progress = ProgressMode.AUTO;
        private Duration progressInterval = Duration.ofSeconds(10);
        private PrintStream out = System.err;
        private boolean handleSignals;
        private Map<String, String> environment = System.getenv();
        private String clientVersion = UploaderVersion.get();
        private boolean uploadAssets = true;
        private Duration assetQuietPeriod = Duration.ofSeconds(5);
        private int firstEndpoint = -1;

        private Builder(Path logdir, String experiment, String endpoint) {
            this.logdir = logdir;
            this.experiment = experiment;
            this.endpoint = endpoint;
        }

        public Builder project(String v) { project = v; return this; }
        public Builder mode(Mode v) { mode = v; return this; }
        public Builder once(boolean v) { mode = v ? Mode.ONCE : Mode.SIDECAR; return this; }
        public Builder tls(boolean v) { tls = v; return this; }
        public Builder tlsCaFile(Path v) { tlsCaFile = v; return this; }
        public Builder tokenFile(Path v) { tokenFile = v; return this; }
        public Builder tokenEnv(String v) { tokenEnv = v; return this; }
        public Builder clientId(String v) { clientId = v; return this; }
        public Builder clientSecretFile(Path v) { clientSecretFile = v; return this; }
        public Builder issuer(String v) { issuer = v; return this; }
        public Builder tokenUrl(String v) { tokenUrl = v; return this; }

        /** Client credentials with discovery: the usual way a pod gets its tokens from Keycloak. */
        public Builder clientCredentials(String issuerUrl, String id, Path secretFile) {
            issuer = issuerUrl;
            clientId = id;
            clientSecretFile = secretFile;
            return this;
        }
        public Builder stopFile(Path v) { stopFile = v; return this; }
        public Builder gracePeriod(Duration v) { gracePeriod = v; return this; }
        public Builder finishRuns(boolean v) { finishRuns = v; return this; }
        public Builder pollInterval(Duration v) { pollInterval = v; return this; }
        public Builder retryTimeout(Duration v) { retryTimeout = v; return this; }
        public Builder initialBackoff(Duration v) { initialBackoff = v; return this; }
        public Builder maxBackoff(Duration v) { maxBackoff = v; return this; }
        public Builder rpcTimeout(Duration v) { rpcTimeout = v; return this; }
        public Builder ackTimeout(Duration v) { ackTimeout = v; return this; }
        public Builder maxBatchBytes(long v) { maxBatchBytes = v; return this; }
        public Builder maxInflightBatches(int v) { maxInflightBatches = v; return this; }
        public Builder maxBytesPerSecond(long v) { maxBytesPerSecond = v; return this; }
        public Builder maxOpenFiles(int v) { maxOpenFiles = v; return this; }
        public Builder progress(ProgressMode v) { progress = v; return this; }
        public Builder progressInterval(Duration v) { progressInterval = v; return this; }
        public Builder out(PrintStream v) { out = v; return this; }
        public Builder handleSignals(boolean v) { handleSignals = v; return this; }
        public Builder environment(Map<String, String> v) { environment = v; return this; }
        public Builder clientVersion(String v) { clientVersion = v; return this; }
        public Builder uploadAssets(boolean v) { uploadAssets = v; return this; }
        public Builder assetQuietPeriod(Duration v) { assetQuietPeriod = v; return this; }
        public Builder firstEndpoint(int v) { firstEndpoint = v; return this; }

        public UploadOptions build() {
            return new UploadOptions(logdir, experiment, project, endpoint, mode, tls, tlsCaFile, tokenFile,
                    tokenEnv, clientId, clientSecretFile, issuer, tokenUrl, stopFile, gracePeriod, finishRuns != null ? finishRuns : mode == Mode.SIDECAR,
                    pollInterval, retryTimeout, initialBackoff, maxBackoff, rpcTimeout, ackTimeout, maxBatchBytes,
                    maxInflightBatches, maxBytesPerSecond, maxOpenFiles, progress, progressInterval, out,
                    handleSignals, environment, clientVersion, uploadAssets, assetQuietPeriod, firstEndpoint);
        }
    }
}
