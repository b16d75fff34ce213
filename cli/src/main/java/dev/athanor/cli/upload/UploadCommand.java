package dev.athanor.cli.upload;

import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * {@code athanor upload}: streams a TensorBoard logdir to ingest, as a one-off ({@code --once})
 * or as a sidecar that tails the logdir until training ends.
 */
@Command(name = "upload", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Streams a TensorBoard logdir to Athanor's ingest service. Runs are the directories holding "
                + "event files; files still being written are tailed. Resumes exactly where the server's "
                + "committed offsets say, so restarts and network drops lose and duplicate nothing.",
            "",
            "Without --once it runs as a sidecar: it keeps tailing until the stop marker "
                + "(<logdir>/.athanor-stop by default) appears or SIGTERM arrives, then drains within "
                + "--grace-period and marks the runs finished."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:everything found was uploaded and acknowledged",
            "1:the work could not be done (endpoint unreachable past --retry-timeout, logdir gone, server refused)",
            "2:unusable options (no logdir, bad endpoint, unreadable token or client secret file)",
            "3:uploaded what could be read, but some data was skipped (each problem names file and offset)",
            "4:the credentials were rejected (by the server, or by Keycloak when fetching a token)",
            "5:stopped, and the grace period ended before everything was acknowledged",
            "6:aborted before the work was done (a later upload resumes)"
        })
public final class UploadCommand implements Callable<Integer> {

    @Option(names = "--logdir", required = true, paramLabel = "DIR", description = "The TensorBoard logdir to upload.")
    Path logdir;

    @Option(names = "--experiment", required = true, paramLabel = "NAME",
            description = "Experiment name; created on the server if missing.")
    String experiment;

    @Option(names = "--once", description = "Upload what is there now and exit when it is all acknowledged.")
    boolean once;

    @Option(names = "--finish-runs", negatable = true,
            description = "Mark every run finished at the end (default: yes as a sidecar, no with --once, "
                    + "since a one-off upload may be of a job still training).")
    Boolean finishRuns;

    @Option(names = "--client-id", paramLabel = "ID", defaultValue = "${env:ATHANOR_CLIENT_ID}",
            description = "Fetch tokens with the client-credentials grant as this confidential client, "
                    + "e.g. uploader-<project> (default: ATHANOR_CLIENT_ID). Needs --client-secret-file and "
                    + "--issuer or --token-url.")
    String clientId;

    @Option(names = "--client-secret-file", paramLabel = "FILE", defaultValue = "${env:ATHANOR_CLIENT_SECRET_FILE}",
            description = "File holding the client's secret, re-read on every token fetch so a rotated Secret is "
                    + "used (default: ATHANOR_CLIENT_SECRET_FILE).")
    Path clientSecretFile;

    @Option(names = "--issuer", paramLabel = "URL", defaultValue = "${env:ATHANOR_ISSUER}",
            description = "The realm's issuer URL, e.g. https://keycloak.example/realms/athanor; the token "
                    + "endpoint is found by OpenID discovery (default: ATHANOR_ISSUER).")
    String issuer;

    @Option(names = "--token-url", paramLabel = "URL",
            description = "The token endpoint itself, instead of --issuer.")
    String tokenUrl;

    @Option(names = "--tls", description = "Use TLS to the endpoint.")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "PEM", description = "CA certificates to trust instead of the system's.")
    Path tlsCa;

    @Option(names = "--stop-file", paramLabel = "FILE",
            description = "Sidecar: the marker meaning training ended (default: <logdir>/.athanor-stop).")
    Path stopFile;

    @Option(names = "--grace-period", defaultValue = "PT60S", paramLabel = "DURATION",
            description = "Sidecar: how long draining may take after a stop (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration gracePeriod;

    @Option(names = "--retry-timeout", defaultValue = "PT5M", paramLabel = "DURATION",
            description = "Give up when the server has been unreachable this long (default: ${DEFAULT-VALUE}).")
    Duration retryTimeout;

    @Option(names = "--max-bytes-per-second", defaultValue = "0",
            description = "Client cap on the upload rate; 0 = none (the server's limit still applies).")
    long maxBytesPerSecond;

    @Option(names = "--assets", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Upload the runs' asset files too (<run>/plugins/**: profiler traces such as "
                    + "plugins/profile/<session>/*.xplane.pb, *.trace.json.gz; and PyTorch's <run>/*.pt.trace.json[.gz]; "
                    + "default: yes).")
    boolean assets;

    @Option(names = "--asset-quiet-period", defaultValue = "PT5S", paramLabel = "DURATION",
            description = "An asset file is complete once unchanged over two scans and not modified for this long "
                    + "(default: ${DEFAULT-VALUE}); when the training ended (stop marker) at once.")
    Duration assetQuietPeriod;

    @Mixin
    IngestTarget target;

    @Spec
    CommandSpec spec;

    private boolean explicit(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    @Override
    public Integer call() {
        UploadOptions.Builder builder = target.builder(logdir, experiment)
                .once(once)
                .clientId(clientId)
                .clientSecretFile(clientSecretFile)
                // ATHANOR_ISSUER may be set for `athanor login` too: only an explicit --issuer asks for
                // client credentials on its own (and is then refused without --client-id).
                .issuer(explicit("--issuer") || (clientId != null && tokenUrl == null) ? issuer : null)
                .tokenUrl(tokenUrl)
                .tls(tls)
                .tlsCaFile(tlsCa)
                .stopFile(stopFile)
                .gracePeriod(gracePeriod)
                .retryTimeout(retryTimeout)
                .maxBytesPerSecond(maxBytesPerSecond)
                .uploadAssets(assets)
                .assetQuietPeriod(assetQuietPeriod);
        if (finishRuns != null) {
            builder.finishRuns(finishRuns);
        }
        UploadResult result = Uploader.run(builder.build());
        return result.exitCode();
    }
}
