package dev.athanor.cli.importer;

import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code athanor import}: indexes an archived (or replicated) experiment into this Athanor. The
 * archive keeps the TensorBoard logdir layout ({@code <prefix>/<project>/<experiment>/<run>/events…}),
 * so the experiment's folder is uploaded like any logdir, once, with its runs finished. Exactly
 * once comes from ingest's committed offsets per (run, file): importing again sends nothing the
 * server already holds, and an interrupted import resumes where it stopped.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Indexes an experiment from an archive folder into this Athanor: the folder of one experiment "
                + "in the archive layout (<root>/<prefix>/<project>/<experiment>), e.g. a filesystem archive, "
                + "a replica synced from a bucket (aws s3 sync / gsutil rsync), or a mounted bucket.",
            "Re-running imports nothing twice: ingest acknowledges what it already has as duplicates."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:everything was imported (or was already there)",
            "1:the import could not be done (endpoint unreachable, server refused)",
            "2:unusable options (the folder holds no event files)",
            "3:imported what could be read, but some data was skipped",
            "4:the credentials were rejected"
        })
public final class ImportCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "DIR",
            description = "The experiment's folder in the archive (<root>/<prefix>/<project>/<experiment>).")
    Path from;

    @Option(names = "--experiment", paramLabel = "NAME",
            description = "Experiment name here (default: the folder's name).")
    String experiment;

    @Option(names = "--project", defaultValue = "${env:ATHANOR_PROJECT:-default}",
            description = "Project to import into (default: ${DEFAULT-VALUE}).")
    String project;

    @Option(names = "--endpoint", defaultValue = "${env:ATHANOR_ENDPOINT:-127.0.0.1:9090}", paramLabel = "HOST:PORT",
            description = "Ingest gRPC endpoint; https://HOST[:PORT] implies TLS (default: ${DEFAULT-VALUE}).")
    String endpoint;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding a bearer token. Default: the ATHANOR_TOKEN variable.")
    Path tokenFile;

    @Option(names = "--progress", defaultValue = "AUTO",
            description = "AUTO, TERMINAL, LOG or QUIET.")
    UploadOptions.ProgressMode progress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Path dir = from.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            err.println("athanor import: --from " + dir + " is not a folder");
            return 2;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            if (files.noneMatch(p -> p.getFileName().toString().contains("tfevents") && Files.isRegularFile(p))) {
                err.println("athanor import: " + dir + " holds no event files (expected <run>/events.out.tfevents… "
                        + "below the experiment's folder)");
                return 2;
            }
        }
        String name = experiment != null ? experiment : dir.getFileName().toString();
        UploadResult result = Uploader.run(UploadOptions.builder(dir, name, endpoint)
                .project(project)
                .once(true)
                .finishRuns(true)
                .tokenFile(tokenFile)
                .progress(progress)
                .handleSignals(true)
                .build());
        // The uploader starts each file after the server's committed offset, so what is already
        // there is not even sent; a resend after a dropped connection is acknowledged as duplicate.
        spec.commandLine().getOut().printf("imported %s into %s/%s: %d new records (%d resent and recognised as"
                + " duplicates)%n", dir, project, name, result.recordsAcked() - result.recordsDuplicate(),
                result.recordsDuplicate());
        return result.exitCode();
    }
}
