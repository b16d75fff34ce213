package dev.athanor.query.hparams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import dev.athanor.query.hparams.store.HparamColumn;
import dev.athanor.query.hparams.store.HparamsQuery;
import dev.athanor.query.hparams.store.HparamsStore;
import dev.athanor.query.hparams.store.MetricColumn;
import dev.athanor.query.hparams.store.Session;
import dev.athanor.query.querylang.Parser;
import dev.athanor.query.testing.IndexTestData;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link HparamsStore} must do: typed hparam columns (a None among numbers shows as
 * mixed, not as a hidden run), metrics from sessions and their sub-runs, filter/sort/page.
 */
public abstract class HparamsStoreContract {

    protected abstract HparamsStore store();

    protected abstract IndexTestData data();

    private long experiment;

    @BeforeEach
    void createSessions() {
        IndexTestData data = data();
        experiment = data.experiment(IndexTestData.unique("hparams"));
        Instant t = Instant.parse("2024-05-01T00:00:00Z");
        long a = data.run(experiment, "run-0", "FINISHED", t, "{\"lr\": 0.1, \"optimizer\": \"adam\", \"dropout\": 0.2}");
        long b = data.run(experiment, "run-1", "FINISHED", t, "{\"lr\": 0.01, \"optimizer\": \"sgd\", \"dropout\": null}");
        long c = data.run(experiment, "run-2", "FAILED", t, "{\"lr\": 0.001, \"optimizer\": \"adam\", \"dropout\": 0.5}");
        long aTrain = data.run(experiment, "run-0/train");
        long aVal = data.run(experiment, "run-0/validation");
        long bVal = data.run(experiment, "run-1/validation");
        data.run(experiment, "unrelated");
        data.scalarSeries(a, "accuracy", new double[] {0.5, 0.9}, 4);
        data.scalarSeries(b, "accuracy", new double[] {0.5, 0.7}, 4);
        data.scalarSeries(c, "accuracy", new double[] {0.2, Double.NaN}, 4);
        data.scalarSeries(aTrain, "epoch_loss", new double[] {1.0, 0.4}, 4);
        data.scalarSeries(aVal, "epoch_accuracy", new double[] {0.6, 0.88}, 4);
        data.scalarSeries(bVal, "epoch_accuracy", new double[] {0.6, 0.65}, 4);
        data.execute("UPDATE run SET hparams_config = '{\"hparams\": [{\"name\": \"lr\"}]}'::jsonb, session_group = 'g1' WHERE id = ?", a);
    }

    @Test
    void hparamColumnsAreTyped() {
        List<HparamColumn> columns = store().hparams(experiment);
        assertThat(columns).extracting(HparamColumn::name).containsExactly("dropout", "lr", "optimizer");
        HparamColumn dropout = columns.get(0);
        assertThat(dropout.type()).isEqualTo("mixed");
        assertThat(dropout.sessions()).isEqualTo(3);
        HparamColumn lr = columns.get(1);
        assertThat(lr.type()).isEqualTo("number");
        assertThat(lr.min()).isEqualTo(0.001);
        assertThat(lr.max()).isEqualTo(0.1);
        HparamColumn optimizer = columns.get(2);
        assertThat(optimizer.type()).isEqualTo("string");
        assertThat(optimizer.values()).containsExactly("adam", "sgd");
        assertThat(store().config(experiment)).contains("\"name\": \"lr\"");
    }

    @Test
    void metricsComeFromSessionsAndTheirSubRuns() {
        assertThat(store().metrics(experiment, 100)).containsExactly(
                MetricColumn.of("", "accuracy"), MetricColumn.of("train", "epoch_loss"),
                MetricColumn.of("validation", "epoch_accuracy"));
    }

    @Test
    void sessionsFilterSortAndPage() {
        List<MetricColumn> metrics = store().metrics(experiment, 100);
        Page<Session> page = store().sessions(new HparamsQuery(experiment, null,
                Parser.parseSort("sort", "-metrics.validation/epoch_accuracy"), metrics), new PageRequest(0, 2));
        assertThat(page.total()).isEqualTo(3);
        assertThat(page.items()).extracting(Session::run).containsExactly("run-0", "run-1");
        Session first = page.items().get(0);
        assertThat(first.metrics()).containsEntry("accuracy", 0.9).containsEntry("train/epoch_loss", 0.4)
                .containsEntry("validation/epoch_accuracy", 0.88);
        assertThat(first.group()).isEqualTo("g1");
        assertThat(first.hparams()).contains("\"optimizer\": \"adam\"");

        Page<Session> filtered = store().sessions(new HparamsQuery(experiment,
                Parser.parseFilter("filter", "hparams.optimizer = \"adam\" and metrics.validation/epoch_accuracy > 0.8"),
                List.of(), metrics), new PageRequest(0, 10));
        assertThat(filtered.items()).extracting(Session::run).containsExactly("run-0");

        Page<Session> nan = store().sessions(new HparamsQuery(experiment, Parser.parseFilter("filter", "hparams.dropout = null"),
                List.of(), metrics), new PageRequest(0, 10));
        assertThat(nan.items()).extracting(Session::run).containsExactly("run-1");
        Session failed = store().sessions(new HparamsQuery(experiment, Parser.parseFilter("filter", "status = \"failed\""),
                List.of(), metrics), new PageRequest(0, 10)).items().get(0);
        assertThat(failed.metrics().get("accuracy")).isNaN();
        assertThat(failed.metrics().get("validation/epoch_accuracy")).isNull();
    }
}
