package dev.athanor.query.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.query.querylang.Parser;
import dev.athanor.query.runs.store.Run;
import dev.athanor.query.runs.store.RunListQuery;
import dev.athanor.query.runs.store.RunPage;
import dev.athanor.query.runs.store.RunPaging;
import dev.athanor.query.runs.store.RunRef;
import dev.athanor.query.runs.store.RunStore;
import dev.athanor.query.runs.store.TagInfo;
import dev.athanor.query.testing.IndexTestData;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RunStore} must do, the filter language compiled against real data included:
 * typed hparams (a string "0.1" is not the number 0.1), explicit nulls, metric aggregates, NaN,
 * two-valued logic, and injection attempts that must match nothing and change nothing.
 */
public abstract class RunStoreContract {

    protected abstract RunStore store();

    protected abstract IndexTestData data();

    private long experiment;
    private String experimentName;
    private long lr1;
    private long lr01;
    private long lr001;
    private long baseline;
    private long nested;

    @BeforeEach
    void createRuns() {
        IndexTestData data = data();
        experimentName = IndexTestData.unique("runs");
        experiment = data.experiment(experimentName);
        lr1 = data.run(experiment, "lr-0.1", "FINISHED", Instant.parse("2024-01-01T00:00:00Z"),
                "{\"lr\": 0.1, \"optimizer\": \"adam\", \"amp\": true, \"note\": null, \"layers\": 4}");
        lr01 = data.run(experiment, "lr-0.01", "FINISHED", Instant.parse("2024-02-01T00:00:00Z"),
                "{\"lr\": 0.01, \"optimizer\": \"sgd\", \"amp\": false, \"layers\": 8}");
        lr001 = data.run(experiment, "lr-0.001", "FAILED", Instant.parse("2024-03-01T00:00:00Z"),
                "{\"lr\": 0.001, \"optimizer\": \"adam\"}");
        baseline = data.run(experiment, "baseline", "RUNNING", null, "{}");
        nested = data.run(experiment, "nested/run", "RUNNING", Instant.parse("2024-04-01T00:00:00Z"), "{\"lr\": \"0.1\"}");
        data.scalarSeries(lr1, "loss", new double[] {3, 2, 1, 0.5}, 2);
        data.scalarSeries(lr1, "acc", new double[] {0.5, 0.8, 0.95, 0.93}, 2);
        data.scalarSeries(lr01, "loss", new double[] {3, 2.5, 2.2, 2.0}, 3);
        data.scalarSeries(lr01, "acc", new double[] {0.3, 0.5, 0.6, 0.7}, 3);
        data.scalarSeries(lr001, "loss", new double[] {3, Double.NaN}, 2);
        data.scalarSeries(nested, "loss", new double[] {1}, 2);
        long histogram = data.series(lr1, "weights", "histograms", 2);
        TensorProto empty = TensorProto.newBuilder().setDtype(DataType.DT_DOUBLE).build();
        data.tensor(histogram, 0, 1.0, empty);
        data.tensor(histogram, 5, 2.0, empty);
    }

    private List<String> matching(String filter) {
        return store().list(new RunListQuery(experiment, null, Parser.parseFilter("filter", filter), List.of(), List.of()),
                RunPaging.first(100)).items().stream().map(Run::path).toList();
    }

    @Test
    void hparamComparisonsAreTyped() {
        assertThat(matching("hparams.lr < 0.05")).containsExactlyInAnyOrder("lr-0.01", "lr-0.001");
        assertThat(matching("hparams.lr = 0.1")).containsExactly("lr-0.1");
        assertThat(matching("hparams.lr = 0.10")).containsExactly("lr-0.1");
        assertThat(matching("hparams.lr = \"0.1\"")).containsExactly("nested/run");
        assertThat(matching("hparams.layers >= 8")).containsExactly("lr-0.01");
        assertThat(matching("hparams.amp = true")).containsExactly("lr-0.1");
        assertThat(matching("hparams.optimizer > \"b\"")).containsExactly("lr-0.01");
        assertThat(matching("hparams.lr <= 0.1")).as("the string \"0.1\" is not a number")
                .containsExactlyInAnyOrder("lr-0.1", "lr-0.01", "lr-0.001");
        assertThat(matching("hparams.lr >= 0.1")).containsExactly("lr-0.1");
        assertThat(matching("hparams.layers > 4.5")).containsExactly("lr-0.01");
        assertThat(matching("hparams.layers = 8.0")).as("numbers are equal by value").containsExactly("lr-0.01");
        assertThat(matching("hparams.layers < 5e0")).containsExactly("lr-0.1");
        assertThat(matching("hparams.amp > 0")).as("a boolean orders with no number").isEmpty();
        assertThat(matching("hparams.note < 1")).as("JSON null orders with no number").isEmpty();
        assertThat(matching("hparams.optimizer < 1")).as("a string orders with no number").isEmpty();
        assertThat(matching("not hparams.lr < 0.05")).as("two-valued: no number is not below")
                .containsExactlyInAnyOrder("lr-0.1", "baseline", "nested/run");
    }

    @Test
    void inListsNotEqualAndTwoValuedNot() {
        assertThat(matching("hparams.optimizer in (\"adam\", \"rmsprop\")")).containsExactlyInAnyOrder("lr-0.1", "lr-0.001");
        assertThat(matching("hparams.optimizer != \"adam\"")).containsExactly("lr-0.01");
        assertThat(matching("not hparams.optimizer = \"adam\""))
                .containsExactlyInAnyOrder("lr-0.01", "baseline", "nested/run");
        assertThat(matching("hparams.optimizer not in (\"adam\")"))
                .containsExactlyInAnyOrder("lr-0.01", "baseline", "nested/run");
        assertThat(matching("id in (" + lr1 + ", " + baseline + ")")).containsExactlyInAnyOrder("lr-0.1", "baseline");
    }

    @Test
    void explicitNullIsNotAbsence() {
        assertThat(matching("hparams.note = null")).containsExactly("lr-0.1");
        assertThat(matching("hparams.note is null")).hasSize(5);
        assertThat(matching("hparams.note is not null")).isEmpty();
        assertThat(matching("hparams.layers is not null")).containsExactlyInAnyOrder("lr-0.1", "lr-0.01");
    }

    @Test
    void regexOnNamesAndAttributes() {
        assertThat(matching("name ~ \"^lr-0\\.0\"")).containsExactlyInAnyOrder("lr-0.01", "lr-0.001");
        assertThat(matching("name !~ \"lr\"")).containsExactlyInAnyOrder("baseline", "nested/run");
        assertThat(matching("path ~ \"/\"")).containsExactly("nested/run");
        assertThat(matching("hparams.optimizer ~ \"^s\"")).containsExactly("lr-0.01");
        assertThat(matching("experiment = \"" + experimentName + "\"")).hasSize(5);
    }

    @Test
    void metricAggregates() {
        assertThat(matching("status = \"finished\" and metrics.acc@max >= 0.9")).containsExactly("lr-0.1");
        assertThat(matching("metrics.loss@last < 1")).containsExactly("lr-0.1");
        assertThat(matching("metrics.loss < 1")).containsExactly("lr-0.1");
        assertThat(matching("metrics.loss@min <= 1")).containsExactlyInAnyOrder("lr-0.1", "nested/run");
        assertThat(matching("metrics.loss@step=2 > 2")).containsExactly("lr-0.01");
        assertThat(matching("metrics.loss@step=2 = 1")).containsExactly("lr-0.1");
        assertThat(matching("metrics.loss@count = 4")).containsExactlyInAnyOrder("lr-0.1", "lr-0.01");
        assertThat(matching("metrics.acc is null")).containsExactlyInAnyOrder("lr-0.001", "baseline", "nested/run");
    }

    @Test
    void nanIsMissingInComparisonsAndFoundByNoNan() {
        assertThat(matching("metrics.loss@last > 0")).containsExactlyInAnyOrder("lr-0.1", "lr-0.01", "nested/run");
        assertThat(matching("no nan in metrics.loss")).containsExactlyInAnyOrder("lr-0.1", "lr-0.01", "nested/run");
        assertThat(matching("not no nan in metrics.loss")).containsExactlyInAnyOrder("lr-0.001", "baseline");
    }

    @Test
    void timesStatusesAndGrouping() {
        assertThat(matching("started >= \"2024-02-01\"")).containsExactlyInAnyOrder("lr-0.01", "lr-0.001", "nested/run");
        assertThat(matching("started < \"2024-01-15T12:00:00Z\"")).containsExactly("lr-0.1");
        assertThat(matching("started is null")).containsExactly("baseline");
        assertThat(matching("(status = \"failed\" or status = \"RUNNING\") and not name ~ \"nested\""))
                .containsExactlyInAnyOrder("lr-0.001", "baseline");
        assertThat(matching("group is null")).hasSize(5);
    }

    @Test
    void injectionAttemptsMatchNothingAndChangeNothing() {
        assertThat(matching("name = \"x' OR '1'='1\"")).isEmpty();
        assertThat(matching("hparams.\"lr' OR 1=1 --\" = 1")).isEmpty();
        assertThat(matching("metrics.\"loss'); DROP TABLE run; --\"@last > 0")).isEmpty();
        assertThat(matching("hparams.lr = \"1); DELETE FROM run; --\"")).isEmpty();
        assertThat(matching("name ~ \"'; DROP TABLE experiment; --\"")).isEmpty();
        assertThat(matching("hparams.\"optimizer\\\" = 1 OR true --\" = \"adam\"")).isEmpty();
        assertThat(matching("name ~ \".*\"")).hasSize(5);
    }

    @Test
    void sortsByMetricWithMissingLastAndByHparam() {
        List<String> byAcc = store().list(new RunListQuery(experiment, null, null,
                Parser.parseSort("sort", "-metrics.acc@max"), List.of()), RunPaging.first(10))
                .items().stream().map(Run::path).toList();
        assertThat(byAcc.subList(0, 2)).containsExactly("lr-0.1", "lr-0.01");
        List<String> byLossLast = store().list(new RunListQuery(experiment, null, null,
                Parser.parseSort("sort", "metrics.loss"), List.of()), RunPaging.first(10))
                .items().stream().map(Run::path).toList();
        assertThat(byLossLast).as("NaN sorts with the missing values, last").containsExactly(
                "lr-0.1", "nested/run", "lr-0.01", byLossLast.get(3), byLossLast.get(4));
        assertThat(byLossLast.subList(3, 5)).containsExactlyInAnyOrder("lr-0.001", "baseline");
        List<String> byLr = store().list(new RunListQuery(experiment, null, Parser.parseFilter("f", "hparams.lr > 0"),
                Parser.parseSort("sort", "hparams.lr"), List.of()), RunPaging.first(10))
                .items().stream().map(Run::path).toList();
        assertThat(byLr).containsExactly("lr-0.001", "lr-0.01", "lr-0.1");
    }

    @Test
    void pagesAndProjectsColumns() {
        RunPage page = store().list(new RunListQuery(experiment, null, null, Parser.parseSort("sort", "name"),
                Parser.parseOperands("columns", "hparams.lr, metrics.loss@min, metrics.loss@count, status")),
                RunPaging.first(2));
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.nextOffset()).isEqualTo(2);
        assertThat(page.items()).extracting(Run::path).containsExactly("baseline", "lr-0.001");
        Map<String, Object> values = page.items().get(1).values();
        assertThat(((com.fasterxml.jackson.databind.util.RawValue) values.get("hparams.lr")).rawValue()).isEqualTo("0.001");
        assertThat(values.get("metrics.loss@min")).isEqualTo(3.0);
        assertThat(values.get("metrics.loss@count")).isEqualTo(2L);
        assertThat(values.get("status")).isEqualTo("FAILED");
        assertThat(page.items().get(0).values().get("hparams.lr")).isNull();
        Run run = page.items().get(1);
        assertThat(run.hparams()).contains("\"optimizer\": \"adam\"");
        assertThat(run.experiment()).isEqualTo(experimentName);
    }

    @Test
    void findAndSelect() {
        Run run = store().find(lr01).orElseThrow();
        assertThat(run.path()).isEqualTo("lr-0.01");
        assertThat(run.status()).isEqualTo("FINISHED");
        assertThat(run.startedAt()).isEqualTo(Instant.parse("2024-02-01T00:00:00Z"));
        assertThat(store().find(-5)).isEmpty();
        List<RunRef> selected = store().select(new RunListQuery(experiment, List.of(lr1, nested, baseline),
                Parser.parseFilter("filter", "status = \"running\""), List.of(), List.of()), 10);
        assertThat(selected).extracting(RunRef::path).containsExactly("baseline", "nested/run");
    }

    @Test
    void tagsGroupedByPlugin() {
        Map<String, List<TagInfo>> tags = store().tags(lr1);
        assertThat(tags.keySet()).containsExactly("histograms", "scalars");
        assertThat(tags.get("scalars")).extracting(TagInfo::tag).containsExactly("acc", "loss");
        TagInfo loss = tags.get("scalars").get(1);
        assertThat(loss.points()).isEqualTo(4);
        assertThat(loss.dataClass()).isEqualTo("scalar");
        assertThat(loss.lastStep()).isEqualTo(3);
        TagInfo weights = tags.get("histograms").get(0);
        assertThat(weights.points()).isEqualTo(2);
        assertThat(weights.firstStep()).isZero();
        assertThat(weights.lastStep()).isEqualTo(5);

        Map<String, Map<String, List<Long>>> all = store().experimentTags(experiment);
        assertThat(all.get("scalars").get("loss")).containsExactlyInAnyOrder(lr1, lr01, lr001, nested);
        assertThat(all.get("histograms").get("weights")).containsExactly(lr1);
    }
}
