package dev.athanor.cli.importer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.testing.Cli;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code athanor import} of an experiment folder in the archive layout into the running suite:
 * the first import sends every record, a second sends nothing new.
 */
@ExtendWith(UploadedSuiteExtension.class)
class ImportCommandTest {

    private static final Pattern SUMMARY = Pattern.compile("(\\d+) new records \\((\\d+) resent");

    /** The small sweep as the filesystem archive holds it: <root>/athanor/default/<experiment>/<run>/…, plus housekeeping. */
    private static Path archived(UploadedSuite suite) throws IOException {
        Path experiment = suite.home().resolve("archive/athanor/default/cli-rest-archived");
        try (Stream<Path> files = Files.walk(suite.logdir())) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Path target = experiment.resolve(suite.logdir().relativize(p).toString());
                Files.createDirectories(target.getParent());
                Files.copy(p, target);
            }
        }
        Path meta = Files.createDirectories(suite.home().resolve("archive/.athanor-meta"));
        Files.writeString(meta.resolve("0123abcd.tier"), "COLD");
        return experiment;
    }

    private static long[] summary(Cli.Outcome outcome) {
        Matcher m = SUMMARY.matcher(outcome.stdout());
        assertThat(m.find()).as(outcome.toString()).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    @Test
    void anArchivedExperimentIsImportedExactlyOnce(UploadedSuite suite) throws Exception {
        Path from = archived(suite);
        Cli.Outcome first = Cli.run("import", "--from", from.toString(), "--experiment", "imported-once",
                "--endpoint", suite.grpcEndpoint(), "--progress", "QUIET");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        long[] a = summary(first);
        assertThat(a[0]).isPositive();
        assertThat(a[1]).isZero();

        Cli.Outcome again = Cli.run("import", "--from", from.toString(), "--experiment", "imported-once",
                "--endpoint", suite.grpcEndpoint(), "--progress", "QUIET");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(summary(again)[0]).isZero();

        // The imported experiment holds exactly what the original holds, once.
        long id = suite.experimentId("imported-once");
        long originalId = suite.experimentId(UploadedSuite.EXPERIMENT);
        long expected = suite.text("/api/v1/export?experiment=" + originalId).lines().count();
        long seen = -1;
        for (int i = 0; i < 240 && seen != expected; i++) {
            seen = suite.text("/api/v1/export?experiment=" + id).lines().count();
            if (seen != expected) {
                Thread.sleep(250);
            }
        }
        assertThat(seen).isEqualTo(expected).isPositive();
        JsonNode original = suite.get("/api/v1/runs?experiment=" + originalId).get("items");
        JsonNode runs = suite.get("/api/v1/runs?experiment=" + id).get("items");
        assertThat(runs.size()).isEqualTo(original.size());
        for (JsonNode run : runs) {
            assertThat(run.get("status").asText()).isEqualTo("FINISHED");
        }
    }

    @Test
    void aFolderWithoutEventFilesIsRefused(UploadedSuite suite) throws Exception {
        Path empty = Files.createDirectories(suite.home().resolve("archive-empty/athanor/default/nothing"));
        Cli.Outcome outcome = Cli.run("import", "--from", empty.toString(), "--endpoint", suite.grpcEndpoint());
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).contains("holds no event files");
    }
}
