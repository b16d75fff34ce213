package dev.athanor.cli.upload;

import dev.athanor.uploader.UploadOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where and as whom {@code athanor upload} and {@code athanor import} send a logdir: the options
 * both commands take, and the uploader settings built from them (the commands add their own).
 */
public final class IngestTarget {

    @Option(names = "--endpoint", defaultValue = "${env:ATHANOR_ENDPOINT:-127.0.0.1:9090}", paramLabel = "HOST:PORT[,...]",
            description = {"Ingest gRPC endpoint; https://HOST[:PORT] implies TLS (default: ${DEFAULT-VALUE}).",
                "Several ingest replicas: HOST:PORT,HOST:PORT,... round robin per connection (a session stays on "
                    + "one address; every reconnect or retry goes to the next; the first is picked at random). "
                    + "dns:///NAME:PORT uses every address of the name with gRPC's round_robin policy "
                    + "(in a cluster: dns:///athanor-ingest-headless:9090)."})
    String endpoint;

    @Option(names = "--project", defaultValue = "${env:ATHANOR_PROJECT:-default}",
            description = "Project the experiment belongs to (default: ${DEFAULT-VALUE}).")
    String project;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding a bearer token (re-read when it changes). Default: the ATHANOR_TOKEN variable.")
    Path tokenFile;

    @Option(names = "--progress", defaultValue = "AUTO",
            description = "AUTO (a live line on a terminal, log lines otherwise), TERMINAL, LOG or QUIET.")
    UploadOptions.ProgressMode progress;

    /** The uploader's settings for {@code logdir} into {@code experiment}, stopping cleanly on a signal. */
    public UploadOptions.Builder builder(Path logdir, String experiment) {
        return UploadOptions.builder(logdir, experiment, endpoint)
                .project(project)
                .tokenFile(tokenFile)
                .progress(progress)
                .handleSignals(true);
    }

    public String project() {
        return project;
    }
}
