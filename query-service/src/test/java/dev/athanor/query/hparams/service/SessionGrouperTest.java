package dev.athanor.query.hparams.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.query.hparams.api.SessionGroups;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionGrouperTest {

    @Test
    void aggregatesOnlyTheFiniteValues() {
        SessionGroups.Aggregates a = SessionGrouper.aggregate(Arrays.asList(3.0, null, 1.0, Double.NaN, 2.0, Double.POSITIVE_INFINITY));
        assertThat(a).isEqualTo(new SessionGroups.Aggregates(2.0, 2.0, 1.0, 3.0, 3));
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(SessionGrouper.aggregate(List.of(4.0, 1.0, 10.0, 2.0)).median()).isEqualTo(3.0);
    }

    @Test
    void noFiniteValueGivesNullAggregates() {
        assertThat(SessionGrouper.aggregate(Arrays.asList(null, Double.NaN)))
                .isEqualTo(new SessionGroups.Aggregates(null, null, null, null, 0));
    }
}
