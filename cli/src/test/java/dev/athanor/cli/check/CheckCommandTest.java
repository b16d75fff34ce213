package dev.athanor.cli.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.cli.testing.Cli;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code athanor check} against the real query service: exit codes and the table of what it saw. */
@ExtendWith(UploadedSuiteExtension.class)
class CheckCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPERIMENT = UploadedSuite.EXPERIMENT;

    private static String server;

    @BeforeAll
    static void suite(UploadedSuite suite) {
        server = suite.server();
    }

    private static Cli.Outcome athanor(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server=" + server);
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void exitsZeroWhenEveryAssertionHoldsAndShowsTheValuesSeen() {
        Cli.Outcome outcome = athanor("check", "--experiment", EXPERIMENT, "--run", "good",
                "metrics.val_accuracy@last >= 0.9", "no nan in metrics.loss");
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        List<String> lines = outcome.stdout().lines().toList();
        assertThat(lines.get(0)).matches("ASSERTION +RUN +VALUE SEEN +RESULT");
        assertThat(lines.get(1)).matches("metrics\\.val_accuracy@last >= 0\\.9 +good +0\\.949999988079071 +pass");
        assertThat(lines.get(2)).startsWith("no nan in metrics.loss").contains("good").endsWith("pass");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("PASSED: all 2 assertions hold for all 1 runs");
    }

    @Test
    void exitsOneWhenAnyRunFailsAndSaysWhere() {
        Cli.Outcome outcome = athanor("check", "--experiment", EXPERIMENT,
                "metrics.val_accuracy@last >= 0.9", "no nan in metrics.loss");
        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(1);
        String out = outcome.stdout();
        assertThat(out).containsPattern("(?m)^metrics\\.val_accuracy@last >= 0\\.9 +diverged +0\\.5 +FAIL")
                .containsPattern("(?m)^metrics\\.val_accuracy@last >= 0\\.9 +sweep/eval +0\\.9200000166893005 +pass")
                .containsPattern("(?m)^no nan in metrics\\.loss +diverged +nan_count=1, first_nan_step=3 +FAIL")
                .containsPattern("(?m)^no nan in metrics\\.loss +good +nan_count=0, first_nan_step=- +pass");
        assertThat(out).endsWith("FAILED: 2 of 2 assertions failed\n");
    }

    @Test
    void aFilterSelectsTheRunsAndJsonCarriesTheVerdict() throws IOException {
        Cli.Outcome outcome = athanor("check", "--experiment", EXPERIMENT, "--filter", "hparams.optimizer = 'sgd'",
                "--format", "json", "metrics.loss@min < 0.2");
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        JsonNode verdict = JSON.readTree(outcome.stdout());
        assertThat(verdict.get("passed").asBoolean()).isTrue();
        assertThat(verdict.get("runs")).extracting(r -> r.get("run").asText()).containsExactly("diverged", "sweep/eval");
    }

    @Test
    void anEmptySelectionIsAFailureNotAPass() {
        Cli.Outcome outcome = athanor("check", "--experiment", EXPERIMENT, "--filter", "path = 'nothing'",
                "metrics.loss < 1");
        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(1);
        assertThat(outcome.stdout()).isEqualTo("FAILED: the selection matched no runs; nothing was checked\n");
    }

    @Test
    void aBadAssertionIsAUsageErrorPointingAtItsColumn() {
        Cli.Outcome outcome = athanor("check", "--experiment", EXPERIMENT, "metrics.loss < 1", "metrics.loss <");
        assertThat(outcome.exitCode()).as(outcome.toString()).isEqualTo(2);
        List<String> err = outcome.stderr().lines().toList();
        assertThat(err.get(0)).startsWith("athanor check: assertions[1]: at column 15: expected");
        assertThat(err.get(1)).isEqualTo("  metrics.loss <");
        assertThat(err.get(2)).isEqualTo("  " + " ".repeat(14) + "^");
        assertThat(outcome.stdout()).isEmpty();
    }

    @Test
    void missingSelectionsAndRunsAreUsageErrors() {
        Cli.Outcome none = athanor("check", "metrics.loss < 1");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stderr()).contains("name the runs to check with --experiment");
        Cli.Outcome unknownRun = athanor("check", "--run", "987654321", "metrics.loss < 1");
        assertThat(unknownRun.exitCode()).isEqualTo(2);
        assertThat(unknownRun.stderr()).contains("runs not found: [987654321]");
        Cli.Outcome noAssertion = athanor("check", "--experiment", EXPERIMENT);
        assertThat(noAssertion.exitCode()).isEqualTo(2);
        assertThat(noAssertion.stderr()).contains("Missing required parameter");
    }

    @Test
    void helpListsTheExitCodes() {
        Cli.Outcome outcome = Cli.run("check", "--help");
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.stdout()).contains("Exit codes:")
                .containsPattern("(?m)^  0 +every assertion holds for every selected run")
                .containsPattern("(?m)^  1 +an assertion failed")
                .containsPattern("(?m)^  2 +usage or server error");
    }
}
