package dev.athanor.cli.importer;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StoreException;
import dev.athanor.cli.upload.IngestTarget;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code athanor import}: indexes an archived (or replicated) experiment into this Athanor. The
 * archive keeps the TensorBoard logdir layout ({@code <prefix>/<project>/<experiment>/<run>/events…}),
 * so the experiment's folder is uploaded like any logdir, once, with its runs finished. A bucket URL
 * ({@code s3://…}, {@code gs://…}) is first mirrored into a local folder ({@link BucketMirror}).
 * Exactly once comes from ingest's committed offsets per (run, file): importing again sends nothing
 * the server already holds, an interrupted import resumes where it stopped, and objects a later
 * replication pass added (new segments) are the only ones sent by the next import.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Indexes an experiment from an archive into this Athanor: the experiment's keys in a bucket "
                + "(s3://BUCKET/<prefix>/<project>/<experiment>, gs://…), e.g. a replica in this region's bucket, "
                + "or its folder (<root>/<prefix>/<project>/<experiment>: a filesystem archive, a synced or mounted bucket).",
            "Re-running imports nothing twice, and picks up only what later replication passes added.",
            "Bucket settings: the services' variables (ATHANOR_ARCHIVE_S3_ENDPOINT, _REGION, _PATH_STYLE, "
                + "_ACCESS_KEY_ID, _SECRET_ACCESS_KEY; ATHANOR_ARCHIVE_GCS_HOST, _PROJECT_ID, _CREDENTIALS_FILE), "
                + "the flags below over them, else AWS_REGION / AWS_ENDPOINT_URL and the AWS SDK's or Google's default credentials."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:everything was imported (or was already there)",
            "1:the import could not be done (endpoint or bucket unreachable, server refused)",
            "2:unusable options (nothing holds event files there)",
            "3:imported what could be read, but some data was skipped",
            "4:the credentials were rejected"
        })
public final class ImportCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "DIR|s3://…|gs://…",
            description = "The experiment in the archive: s3://BUCKET/<prefix>/<project>/<experiment>, gs://…, "
                    + "or its folder.")
    String from;

    @Option(names = "--experiment", paramLabel = "NAME",
            description = "Experiment name here (default: the folder's or key prefix's last part).")
    String experiment;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Bucket imports: keep the fetched objects here, so the next import of the same experiment "
                    + "fetches only new ones (default: a temporary folder, removed afterwards).")
    Path workDir;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3-compatible endpoint (MinIO, Ceph…).")
    String s3Endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", description = "The bucket's region.")
    String s3Region;

    @Option(names = "--s3-path-style", paramLabel = "true|false", description = "Address the bucket as ENDPOINT/BUCKET.")
    String s3PathStyle;

    @Option(names = "--gcs-host", paramLabel = "URL", description = "Another GCS endpoint (an emulator).")
    String gcsHost;

    @Option(names = "--gcs-project", paramLabel = "ID", description = "The GCS project.")
    String gcsProject;

    @Mixin
    IngestTarget target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Optional<BucketUrl> bucket;
        try {
            bucket = BucketUrl.parse(from);
        } catch (IllegalArgumentException e) {
            err.println("athanor import: " + e.getMessage());
            return 2;
        }
        if (bucket.isEmpty()) {
            return importFolder(Path.of(from).toAbsolutePath().normalize(), false);
        }
        Path mirror = workDir != null ? Files.createDirectories(workDir.toAbsolutePath().normalize())
                : Files.createTempDirectory("athanor-import-");
        // A temporary mirror also goes when the import is stopped (Ctrl-C, SIGTERM) part-way.
        Thread removeMirror = new Thread(() -> {
            try {
                deleteTree(mirror);
            } catch (IOException ignored) {
                // a temporary folder the system cleans up eventually
            }
        });
        if (workDir == null) {
            Runtime.getRuntime().addShutdownHook(removeMirror);
        }
        try {
            BucketMirror.Result fetched;
            try (ObjectStore store = BucketStores.open(bucket.get(), bucketFlags(), System.getenv())) {
                fetched = BucketMirror.mirror(store, bucket.get(), mirror);
            } catch (StoreException | RuntimeException e) {
                err.println("athanor import: cannot read " + bucket.get() + ": " + e.getMessage());
                return e instanceof StoreException s && s.reason() == StoreException.Reason.ACCESS_DENIED ? 4 : 1;
            }
            spec.commandLine().getOut().printf("%s: %d objects, %d fetched (%d bytes), %d already here%n", bucket.get(),
                    fetched.listed(), fetched.fetched(), fetched.fetchedBytes(), fetched.alreadyLocal());
            spec.commandLine().getOut().flush();
            fetched.skipped().forEach(s -> err.println("athanor import: skipped " + s));
            if (experiment == null) {
                experiment = bucket.get().lastPart();
            }
            int code = importFolder(mirror, true);
            return code == 0 && !fetched.skipped().isEmpty() ? 3 : code;
        } finally {
            if (workDir == null) {
                deleteTree(mirror);
                try {
                    Runtime.getRuntime().removeShutdownHook(removeMirror);
                } catch (IllegalStateException shuttingDown) {
                    // stopped by a signal: the hook finds the folder already gone
                }
            }
        }
    }

    private Map<String, String> bucketFlags() {
        Map<String, String> flags = new LinkedHashMap<>();
        BiConsumer<String, String> put = (key, value) -> {
            if (value != null) {
                flags.put(key, value);
            }
        };
        put.accept("s3.endpoint", s3Endpoint);
        put.accept("s3.region", s3Region);
        put.accept("s3.path-style", s3PathStyle);
        put.accept("gcs.host", gcsHost);
        put.accept("gcs.project-id", gcsProject);
        return flags;
    }

    private int importFolder(Path dir, boolean fromBucket) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        String shown = fromBucket ? from : dir.toString();
        if (!Files.isDirectory(dir)) {
            err.println("athanor import: --from " + dir + " is not a folder");
            return 2;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            if (files.noneMatch(p -> p.getFileName().toString().contains("tfevents") && Files.isRegularFile(p))) {
                err.println("athanor import: " + shown + " holds no event files (expected <run>/events.out.tfevents… "
                        + "below the experiment's " + (fromBucket ? "keys" : "folder") + ")");
                return 2;
            }
        }
        String name = experiment != null ? experiment : dir.getFileName().toString();
        UploadResult result = Uploader.run(target.builder(dir, name)
                .once(true)
                .finishRuns(true)
                .build());
        // The uploader starts each file after the server's committed offset, so what is already
        // there is not even sent; a resend after a dropped connection is acknowledged as duplicate.
        spec.commandLine().getOut().printf("imported %s into %s/%s: %d new records (%d resent and recognised as"
                + " duplicates)%n", shown, target.project(), name, result.recordsAcked() - result.recordsDuplicate(),
                result.recordsDuplicate());
        return result.exitCode();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
