package dev.athanor.query.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.query.checks.store.CheckStore;
import dev.athanor.query.checks.store.RunOutcome;
import dev.athanor.query.querylang.Parser;
import dev.athanor.query.testing.IndexTestData;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link CheckStore} must do: a verdict per run with the values it was based on. */
public abstract class CheckStoreContract {

    protected abstract CheckStore store();

    protected abstract IndexTestData data();

    private long good;
    private long bad;
    private long empty;

    @BeforeEach
    void createRuns() {
        long experiment = data().experiment(IndexTestData.unique("checks"));
        good = data().run(experiment, "good", "FINISHED", null, "{\"lr\": 0.1}");
        bad = data().run(experiment, "bad", "FINISHED", null, "{\"lr\": 1}");
        empty = data().run(experiment, "empty");
        data().scalarSeries(good, "val_accuracy", new double[] {0.5, 0.92}, 10);
        data().scalarSeries(good, "loss", new double[] {2, 1, 0.5, 0.4}, 2);
        data().scalarSeries(bad, "val_accuracy", new double[] {0.5, 0.85}, 10);
        double[] loss = new double[1000];
        java.util.Arrays.fill(loss, 1.0);
        loss[733] = Double.NaN;
        loss[900] = Double.NaN;
        loss[10] = Double.POSITIVE_INFINITY;
        data().scalarSeries(bad, "loss", loss, 100);
    }

    private List<RunOutcome> evaluate(String assertion) {
        return store().evaluate(List.of(good, bad, empty), Parser.parseFilter("assertion", assertion));
    }

    @Test
    void metricThresholdWithValuesSeen() {
        List<RunOutcome> outcomes = evaluate("metrics.val_accuracy@last >= 0.9");
        assertThat(outcomes).extracting(RunOutcome::run).containsExactly("bad", "empty", "good");
        assertThat(outcomes).extracting(RunOutcome::passed).containsExactly(false, false, true);
        assertThat(outcomes.get(0).values()).containsEntry("metrics.val_accuracy@last", 0.85);
        assertThat(outcomes.get(0).detail()).isNull();
        assertThat(outcomes.get(1).values()).containsEntry("metrics.val_accuracy@last", null);
        assertThat(outcomes.get(1).detail()).contains("no value for metrics.val_accuracy@last");
        assertThat(outcomes.get(2).values()).containsEntry("metrics.val_accuracy@last", 0.92);
    }

    @Test
    void noNanReportsCountAndFirstStep() {
        List<RunOutcome> outcomes = evaluate("no nan in metrics.loss");
        RunOutcome bad = outcomes.get(0);
        assertThat(bad.passed()).isFalse();
        assertThat(bad.values()).containsEntry("nan_count(metrics.loss)", 2L).containsEntry("first_nan_step(metrics.loss)", 733L);
        RunOutcome good = outcomes.get(2);
        assertThat(good.passed()).isTrue();
        assertThat(good.values()).containsEntry("nan_count(metrics.loss)", 0L).containsEntry("first_nan_step(metrics.loss)", null);
        assertThat(outcomes.get(1).passed()).as("a run without the series does not pass").isFalse();
        RunOutcome inf = evaluate("no nonfinite in metrics.loss").get(0);
        assertThat(inf.values()).containsEntry("inf_count(metrics.loss)", 1L).containsEntry("first_inf_step(metrics.loss)", 10L);
    }

    @Test
    void combinedAssertionsAndHparams() {
        List<RunOutcome> outcomes = evaluate("metrics.loss@min < 0.5 and hparams.lr <= 0.1");
        assertThat(outcomes).extracting(RunOutcome::passed).containsExactly(false, false, true);
        assertThat(outcomes.get(2).values()).containsKeys("metrics.loss@min", "hparams.lr");
        assertThat(((com.fasterxml.jackson.databind.util.RawValue) outcomes.get(2).values().get("hparams.lr")).rawValue()).isEqualTo("0.1");
        assertThat(evaluate("metrics.loss@step=3 = 0.4")).extracting(RunOutcome::passed).containsExactly(false, false, true);
    }
}
