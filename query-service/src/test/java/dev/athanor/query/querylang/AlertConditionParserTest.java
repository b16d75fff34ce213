package dev.athanor.query.querylang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.query.querylang.ast.Aggregate;
import dev.athanor.query.querylang.ast.AlertCondition;
import dev.athanor.query.querylang.ast.Expr;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The alert-condition forms: guards, filter expressions with after step, stalls; and what is refused. */
class AlertConditionParserTest {

    private static AlertCondition parse(String text) {
        return Parser.parseAlertCondition("condition", text);
    }

    @Test
    void aLoneGuardFiresWhenBroken() {
        AlertCondition c = parse("no nan in metrics.loss");
        assertThat(c).isInstanceOf(AlertCondition.Broken.class);
        AlertCondition.Broken b = (AlertCondition.Broken) c;
        assertThat(b.guard().metric().tag()).isEqualTo("loss");
        assertThat(b.guard().kind()).isEqualTo(Expr.NonFinite.NAN);
        assertThat(b.afterStep()).isEmpty();
        assertThat(((AlertCondition.Broken) parse("NO INF IN metrics.\"train/loss\" AFTER STEP 10000")).afterStep())
                .hasValue(10000);
    }

    @Test
    void anExpressionFiresWhileItHolds() {
        AlertCondition.Holds h = (AlertCondition.Holds) parse("metrics.val_loss@last > 1.5 and hparams.lr < 0.1 after step 500");
        assertThat(h.expr()).isInstanceOf(Expr.And.class);
        assertThat(h.afterStep()).hasValue(500);
        AlertCondition.Holds status = (AlertCondition.Holds) parse("status = 'failed'");
        assertThat(((Expr.Comparison) status.expr()).operand().display()).isEqualTo("status");
        AlertCondition.Holds max = (AlertCondition.Holds) parse("metrics.accuracy@max < 0.5");
        assertThat(((dev.athanor.query.querylang.ast.Operand.Metric) ((Expr.Comparison) max.expr()).operand())
                .aggregate().kind()).isEqualTo(Aggregate.Kind.MAX);
    }

    @Test
    void aStallNamesAMetricAndADuration() {
        AlertCondition.Stalled s = (AlertCondition.Stalled) parse("no new points in metrics.loss for 15m");
        assertThat(s.metric().tag()).isEqualTo("loss");
        assertThat(s.quietFor()).isEqualTo(Duration.ofMinutes(15));
        assertThat(((AlertCondition.Stalled) parse("no new points in metrics.loss for 90s")).quietFor())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(((AlertCondition.Stalled) parse("No New Points In metrics.loss For 2h")).quietFor())
                .isEqualTo(Duration.ofHours(2));
        assertThat(((AlertCondition.Stalled) parse("no new points in metrics.loss for 365d")).quietFor())
                .isEqualTo(Duration.ofDays(365));
    }

    @Test
    void refusalsNameTheColumnAndWhatWasExpected() {
        String[][] cases = {
                {"", "an empty condition"},
                {"no nan in metrics.loss or status = 'failed'", "give it a rule of its own"},
                {"not no nan in metrics.loss", "give it a rule of its own"},
                {"status = 'failed' after step 5", "names none"},
                {"metrics.loss > 1 after step -5", "whole step number"},
                {"metrics.loss > 1 after step 1.5", "whole step number"},
                {"metrics.loss > 1 after 5", "'step' after 'after'"},
                {"metrics.loss > 1 after step 5 and", "end of the condition"},
                {"no new points in metrics.loss", "'for'"},
                {"no new points in metrics.loss for 15", "a duration"},
                {"no new points in metrics.loss for 0m", "from 1s to 365d"},
                {"no new points in metrics.loss for 366d", "from 1s to 365d"},
                {"no new points in metrics.loss for 99999999999999999999d", "365 days"},
                {"no new points in metrics.loss@last for 5m", "a metric without @"},
                {"no new points in hparams.lr for 5m", "a metric without @"},
                {"no new points metrics.loss for 5m", "'in'"},
                {"metrics.loss > 15m", "a value"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> parse(c[0])).as(c[0]).isInstanceOf(QuerySyntaxException.class)
                    .hasMessageContaining(c[1]).hasMessageContaining("condition");
        }
    }

    @Test
    void durationsDoNotChangeWhatFiltersAccept() {
        assertThatThrownBy(() -> Parser.parseFilter("filter", "metrics.loss > 15m")).isInstanceOf(QuerySyntaxException.class);
        assertThatThrownBy(() -> Parser.parseFilter("filter", "metrics.loss > 15x"))
                .isInstanceOf(QuerySyntaxException.class).hasMessageContaining("after the number 15");
        assertThat(Parser.parseFilter("filter", "name = \"15m\"")).isInstanceOf(Expr.Comparison.class);
    }
}
