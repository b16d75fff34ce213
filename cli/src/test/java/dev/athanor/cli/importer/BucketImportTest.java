package dev.athanor.cli.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.archive.store.testing.GcsJsonApiReads;
import dev.athanor.cli.testing.Cli;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code athanor import --from gs://…} through the GCS client over real HTTP (a loopback double of
 * the JSON API's reads and listings) into the running suite: everything once, then nothing; only the
 * experiment's own keys; an object whose bytes do not match what the bucket reports is skipped and
 * named while the rest is imported. (S3 runs end to end in {@code ReplicaImportTest}.)
 */
@ExtendWith(UploadedSuiteExtension.class)
class BucketImportTest {

    private static final String BUCKET = "replicas";

    @TempDir
    Path work;

    /** The suite's logdir as the archive lays it out under {@code athanor/default/<experiment>/}; returns the keys. */
    private static List<String> putArchived(GcsJsonApiReads gcs, UploadedSuite suite, String experiment) throws Exception {
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(suite.logdir())) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String key = "athanor/default/" + experiment + "/" + suite.logdir().relativize(p).toString().replace('\\', '/');
                gcs.put(BUCKET, key, Files.readAllBytes(p));
                keys.add(key);
            }
        }
        return keys;
    }

    private static Cli.Outcome importFrom(GcsJsonApiReads gcs, UploadedSuite suite, String experiment, Path workDir) {
        return Cli.run("import", "--from", "gs://" + BUCKET + "/athanor/default/" + experiment, "--endpoint",
                suite.grpcEndpoint(), "--gcs-host", gcs.host(), "--gcs-project", "athanor-test", "--work-dir",
                workDir.toString(), "--progress", "QUIET");
    }

    private static long exportLines(UploadedSuite suite, String experiment, long expected) throws InterruptedException {
        long seen = -1;
        for (int i = 0; i < 240 && seen != expected; i++) {
            seen = suite.text("/api/v1/export?experiment=" + suite.experimentId(experiment)).lines().count();
            if (seen != expected) {
                Thread.sleep(250);
            }
        }
        return seen;
    }

    @Test
    void aGcsReplicaIsImportedOnceAndOnlyItsOwnKeys(UploadedSuite suite) throws Exception {
        try (GcsJsonApiReads gcs = GcsJsonApiReads.start()) {
            List<String> keys = putArchived(gcs, suite, "gcs-live");
            putArchived(gcs, suite, "gcs-live-other");  // shares the string prefix, not the folder

            Cli.Outcome first = importFrom(gcs, suite, "gcs-live", work.resolve("mirror"));
            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(first.stdout()).contains(keys.size() + " objects, " + keys.size() + " fetched")
                    .contains("into default/gcs-live: ").doesNotContain(": 0 new records");
            long expected = suite.text("/api/v1/export?experiment=" + suite.experimentId(UploadedSuite.EXPERIMENT))
                    .lines().count();
            assertThat(exportLines(suite, "gcs-live", expected)).isEqualTo(expected).isPositive();

            Cli.Outcome again = importFrom(gcs, suite, "gcs-live", work.resolve("mirror"));
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.stdout()).contains(keys.size() + " objects, 0 fetched (0 bytes), " + keys.size()
                    + " already here").contains(": 0 new records");
            assertThat(exportLines(suite, "gcs-live", expected)).isEqualTo(expected);
        }
    }

    @Test
    void anObjectThatDoesNotMatchTheBucketIsSkippedAndNamedTheRestIsImported(UploadedSuite suite) throws Exception {
        try (GcsJsonApiReads gcs = GcsJsonApiReads.start()) {
            List<String> keys = putArchived(gcs, suite, "gcs-damaged");
            String damaged = keys.stream().filter(k -> k.contains("/diverged/") && k.contains("tfevents")).findFirst()
                    .orElseThrow();
            byte[] original = Files.readAllBytes(suite.logdir().resolve(damaged.substring(
                    "athanor/default/gcs-damaged/".length())));
            byte[] flipped = original.clone();
            flipped[flipped.length / 2] ^= 0x40;
            gcs.serveInstead(BUCKET, damaged, flipped);

            Cli.Outcome outcome = importFrom(gcs, suite, "gcs-damaged", work.resolve("damaged"));
            assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(3);
            assertThat(outcome.stderr()).contains("skipped " + damaged + ": CRC32C");
            assertThat(work.resolve("damaged").resolve(damaged.substring("athanor/default/gcs-damaged/".length())))
                    .doesNotExist();
            List<String> runs = new ArrayList<>();
            suite.get("/api/v1/runs?experiment=" + suite.experimentId("gcs-damaged")).get("items")
                    .forEach(r -> runs.add(r.get("path").asText()));
            assertThat(runs).contains("good", "sweep/eval").doesNotContain("diverged");
        }
    }
}
