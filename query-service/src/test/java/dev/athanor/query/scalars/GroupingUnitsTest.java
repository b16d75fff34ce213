package dev.athanor.query.scalars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.text.NaturalOrder;
import dev.athanor.query.querylang.ast.RunAttribute;
import dev.athanor.query.runs.store.RunGrouping;
import dev.athanor.query.scalars.api.ScalarGroup;
import dev.athanor.query.scalars.service.GroupAggregator;
import dev.athanor.query.scalars.store.DownsampledSeries;
import dev.athanor.query.scalars.store.Sampling;
import dev.athanor.query.scalars.store.ScalarPoints;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** groupBy parsing, the natural order of names and the per-bucket aggregation, without a database. */
class GroupingUnitsTest {

    @Test
    void groupByParses() {
        assertThat(RunGrouping.parse("groupBy", "hparams.lr")).isEqualTo(new RunGrouping.Hparam("lr"));
        assertThat(RunGrouping.parse("groupBy", "label:baseline")).isEqualTo(new RunGrouping.Label("baseline"));
        assertThat(RunGrouping.parse("groupBy", "label:")).isEqualTo(new RunGrouping.Label(null));
        assertThat(RunGrouping.parse("groupBy", "regex:lr([0-9.]+)_(?:seed)[(]"))
                .isEqualTo(new RunGrouping.Regex("lr([0-9.]+)_(?:seed)[(]"));
        assertThat(RunGrouping.parse("groupBy", "status")).isEqualTo(new RunGrouping.Attribute(RunAttribute.STATUS));
        assertThatThrownBy(() -> RunGrouping.parse("groupBy", "regex:lr[0-9]+")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("has 0");
        assertThatThrownBy(() -> RunGrouping.parse("groupBy", "regex:(a)(b)")).hasMessageContaining("has 2");
        assertThatThrownBy(() -> RunGrouping.parse("groupBy", "started")).hasMessageContaining("groupBy must be");
        assertThatThrownBy(() -> RunGrouping.parse("groupBy", "label:has space")).isInstanceOf(BadInputException.class);
        assertThat(RunGrouping.captureGroups("\\(x\\)(y)[()]")).isEqualTo(1);
    }

    @Test
    void namesSortNaturally() {
        List<String> names = new ArrayList<>(List.of("seed0_lr10", "seed0_lr2", "seed1_lr1", "seed0_lr1", "a", "a0"));
        names.sort(NaturalOrder.INSTANCE);
        assertThat(names).containsExactly("a", "a0", "seed0_lr1", "seed0_lr2", "seed0_lr10", "seed1_lr1");
        List<String> decimals = new ArrayList<>(List.of("lr-0.1", "lr-0.05", "lr-0.001", "lr-1.5", "lr-10"));
        decimals.sort(NaturalOrder.INSTANCE);
        assertThat(decimals).containsExactly("lr-0.001", "lr-0.05", "lr-0.1", "lr-1.5", "lr-10");
    }

    @Test
    void aggregatesBucketByBucketSkippingNonFiniteValues() {
        DownsampledSeries a = member(new int[] {0, 1, 3}, new double[] {1, 10, 5});
        DownsampledSeries b = member(new int[] {0, 1, 2}, new double[] {3, Double.NaN, 7});
        DownsampledSeries c = member(new int[] {0, 3}, new double[] {8, 6});
        ScalarGroup.Points mean = GroupAggregator.aggregate(List.of(a, b, c), GroupAggregator.Center.MEAN,
                GroupAggregator.Band.STD);
        assertThat(mean.count()).containsExactly(3, 1, 1, 2);
        assertThat(mean.nonFinite()).containsExactly(0, 1, 0, 0);
        assertThat(mean.center()).containsExactly(4.0, 10.0, 7.0, 5.5);
        assertThat(mean.low()[0]).isCloseTo(4 - Math.sqrt(13), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(mean.low()[1]).as("one member: no sample std").isNull();
        ScalarGroup.Points median = GroupAggregator.aggregate(List.of(a, b, c), GroupAggregator.Center.MEDIAN,
                GroupAggregator.Band.MINMAX);
        assertThat(median.center()).containsExactly(3.0, 10.0, 7.0, 5.5);
        assertThat(median.low()).containsExactly(1.0, 10.0, 7.0, 5.0);
        assertThat(median.high()).containsExactly(8.0, 10.0, 7.0, 6.0);
    }

    private static DownsampledSeries member(int[] buckets, double[] values) {
        int n = values.length;
        double[] x = new double[n];
        long[] steps = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = buckets[i] * 10 + 9;
            steps[i] = (long) x[i];
        }
        ScalarPoints points = new ScalarPoints(x, steps, new double[n], values, new Double[n], new Double[n],
                new long[n], new long[n], new long[n]);
        return new DownsampledSeries(1, "r", "loss", n, new Sampling("buckets", "step", 4, n, 10.0, 0, 0, null),
                points, buckets);
    }
}
