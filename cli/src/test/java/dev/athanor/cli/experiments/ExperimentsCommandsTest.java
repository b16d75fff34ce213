package dev.athanor.cli.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.cli.testing.Cli;
import dev.athanor.cli.testing.SmallSweep;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code athanor experiments rename|delete|restore|purge} against the real query service (issue 17). */
@ExtendWith(UploadedSuiteExtension.class)
class ExperimentsCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Cli.Outcome athanor(UploadedSuite suite, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server=" + suite.server());
        return Cli.run(all.toArray(String[]::new));
    }

    /** A finished copy of the small sweep as its own experiment (renames are refused while a run is RUNNING). */
    private static long uploadFinished(UploadedSuite suite, String experiment) throws Exception {
        Path logdir = Files.createTempDirectory(suite.home(), "experiments-");
        SmallSweep.write(logdir);
        UploadResult result = Uploader.run(UploadOptions.builder(logdir, experiment, suite.grpcEndpoint())
                .once(true).finishRuns(true).progress(UploadOptions.ProgressMode.QUIET).build());
        assertThat(result.succeeded()).as(result.message()).isTrue();
        return suite.awaitRuns(experiment, "status = 'finished'", 3);
    }

    @Test
    void renameDeleteRestoreAndThePurgeOfOneNotInTheTrash(UploadedSuite suite) throws Exception {
        long id = uploadFinished(suite, "cli-exp-curate");

        Cli.Outcome renamed = athanor(suite, "experiments", "rename", "cli-exp-curate", "cli-exp-renamed");
        assertThat(renamed.exitCode()).as(renamed.toString()).isZero();
        assertThat(renamed.stdout().strip()).isEqualTo("experiment " + id + " is now 'cli-exp-renamed' (project default)");
        assertThat(suite.experimentId("cli-exp-renamed")).isEqualTo(id);

        Cli.Outcome taken = athanor(suite, "experiments", "rename", "cli-exp-renamed", UploadedSuite.EXPERIMENT);
        assertThat(taken.exitCode()).isEqualTo(2);
        assertThat(taken.stderr()).startsWith("athanor experiments rename: ").contains(UploadedSuite.EXPERIMENT);

        Cli.Outcome deleted = athanor(suite, "experiments", "delete", "cli-exp-renamed");
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.stdout()).startsWith("experiment " + id + " (cli-exp-renamed) is in the trash until ")
                .contains("(3 runs, ").contains("restore it with `athanor experiments restore " + id + "`");
        assertThat(suite.get("/api/v1/experiments?name=cli-exp-renamed").get("items")).isEmpty();
        Cli.Outcome hidden = athanor(suite, "runs", "list", "--experiment", "cli-exp-renamed");
        assertThat(hidden.exitCode()).isNotZero();
        assertThat(hidden.stderr()).contains("experiment 'cli-exp-renamed' not found");

        Cli.Outcome byName = athanor(suite, "experiments", "restore", "cli-exp-renamed");
        assertThat(byName.exitCode()).isEqualTo(2);
        assertThat(byName.stderr()).contains("experiments in the trash are named by their id ('cli-exp-renamed' is not one)");

        Cli.Outcome restored = athanor(suite, "experiments", "restore", Long.toString(id));
        assertThat(restored.exitCode()).as(restored.toString()).isZero();
        assertThat(restored.stdout().strip()).isEqualTo("experiment " + id + " (cli-exp-renamed) is restored");
        Cli.Outcome listed = athanor(suite, "runs", "list", "--experiment", "cli-exp-renamed", "--format", "json");
        assertThat(JSON.readTree(listed.stdout())).hasSize(3);

        Cli.Outcome notTrashed = athanor(suite, "experiments", "purge", Long.toString(id));
        assertThat(notTrashed.exitCode()).isEqualTo(2);
        assertThat(notTrashed.stderr()).startsWith("athanor experiments purge: ").contains("not in the trash");
    }
}
