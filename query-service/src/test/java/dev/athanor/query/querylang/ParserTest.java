package dev.athanor.query.querylang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.query.querylang.ast.Aggregate;
import dev.athanor.query.querylang.ast.CompareOp;
import dev.athanor.query.querylang.ast.Expr;
import dev.athanor.query.querylang.ast.Literal;
import dev.athanor.query.querylang.ast.Operand;
import dev.athanor.query.querylang.ast.RunAttribute;
import dev.athanor.query.querylang.ast.SortKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParserTest {

    private static Expr parse(String s) {
        return Parser.parseFilter("filter", s);
    }

    @Test
    void comparisonOnHparam() {
        Expr e = parse("hparams.lr < 0.01");
        assertThat(e).isEqualTo(new Expr.Comparison(new Operand.Hparam("lr", 1), CompareOp.LT,
                new Literal.Num("0.01", 14), 1));
    }

    @Test
    void andBindsTighterThanOr() {
        Expr e = parse("status = \"finished\" or name ~ \"lr-.*\" and hparams.opt = 'adam'");
        assertThat(e).isInstanceOf(Expr.Or.class);
        Expr.Or or = (Expr.Or) e;
        assertThat(or.terms()).hasSize(2);
        assertThat(or.terms().get(0)).isInstanceOf(Expr.Comparison.class);
        assertThat(or.terms().get(1)).isInstanceOf(Expr.And.class);
        Expr.And and = (Expr.And) or.terms().get(1);
        assertThat(and.terms().get(0)).isEqualTo(new Expr.Match(new Operand.Attribute(RunAttribute.NAME, 24), "lr-.*", false, 24));
    }

    @Test
    void parenthesesAndNotGroup() {
        Expr e = parse("not (status = 'failed' OR status = 'running') AND metrics.loss@min < 0.5");
        assertThat(e).isInstanceOf(Expr.And.class);
        Expr.And and = (Expr.And) e;
        assertThat(and.terms().get(0)).isInstanceOf(Expr.Not.class);
        assertThat(((Expr.Not) and.terms().get(0)).term()).isInstanceOf(Expr.Or.class);
        Expr.Comparison c = (Expr.Comparison) and.terms().get(1);
        assertThat(c.operand()).isEqualTo(new Operand.Metric("loss", Aggregate.of(Aggregate.Kind.MIN), 51));
    }

    @Test
    void metricAggregates() {
        assertThat(((Expr.Comparison) parse("metrics.val_accuracy >= 0.9")).operand())
                .isEqualTo(new Operand.Metric("val_accuracy", Aggregate.LAST, 1));
        assertThat(((Expr.Comparison) parse("metrics.acc@step=1000 > 0.5")).operand())
                .isEqualTo(new Operand.Metric("acc", Aggregate.atStep(1000), 1));
        assertThat(((Expr.Comparison) parse("metrics.train/loss@max < 3")).operand())
                .isEqualTo(new Operand.Metric("train/loss", Aggregate.of(Aggregate.Kind.MAX), 1));
        assertThat(((Expr.Comparison) parse("metrics.\"weird tag, with spaces\"@count > 3")).operand())
                .isEqualTo(new Operand.Metric("weird tag, with spaces", Aggregate.of(Aggregate.Kind.COUNT), 1));
        assertThat(((Expr.Comparison) parse("metrics.loss.avg@last < 3")).operand())
                .isEqualTo(new Operand.Metric("loss.avg", Aggregate.LAST, 1));
    }

    @Test
    void inListsNotInAndIsNull() {
        Expr.InList in = (Expr.InList) parse("hparams.batch in (32, 64, \"auto\", null)");
        assertThat(in.negated()).isFalse();
        assertThat(in.values()).containsExactly(new Literal.Num("32", 19), new Literal.Num("64", 23),
                new Literal.Str("auto", 27), new Literal.Null(35));
        assertThat(((Expr.InList) parse("id not in (1,2)")).negated()).isTrue();
        assertThat(parse("hparams.note is not null")).isEqualTo(new Expr.IsNull(new Operand.Hparam("note", 1), true, 1));
        assertThat(parse("ended IS NULL")).isEqualTo(new Expr.IsNull(new Operand.Attribute(RunAttribute.ENDED, 1), false, 1));
    }

    @Test
    void noNanIn() {
        assertThat(parse("no nan in metrics.loss"))
                .isEqualTo(new Expr.NoNonFinite(new Operand.Metric("loss", Aggregate.LAST, 11), Expr.NonFinite.NAN, 1));
        assertThat(((Expr.NoNonFinite) parse("no nonfinite in metrics.loss")).kind()).isEqualTo(Expr.NonFinite.NONFINITE);
    }

    @Test
    void numbersNegativeAndExponent() {
        assertThat(((Expr.Comparison) parse("hparams.wd>-1e-4")).value()).isEqualTo(new Literal.Num("-1e-4", 12));
        assertThat(((Expr.Comparison) parse("hparams.x = .5")).value()).isEqualTo(new Literal.Num(".5", 13));
    }

    @Test
    void stringEscapes() {
        Expr.Match m = (Expr.Match) parse("name ~ \"a\\\"b\\\\c\\d+\"");
        assertThat(m.pattern()).isEqualTo("a\"b\\c\\d+");
    }

    @Test
    void keywordsAreCaseInsensitive() {
        assertThat(parse("NOT hparams.a = TRUE")).isInstanceOf(Expr.Not.class);
    }

    @Test
    void sortKeys() {
        List<SortKey> keys = Parser.parseSort("sort", "-metrics.val_acc@max, name asc, hparams.lr desc");
        assertThat(keys).containsExactly(
                new SortKey(new Operand.Metric("val_acc", Aggregate.of(Aggregate.Kind.MAX), 2), true),
                new SortKey(new Operand.Attribute(RunAttribute.NAME, 23), false),
                new SortKey(new Operand.Hparam("lr", 33), true));
    }

    @Test
    void operandLists() {
        assertThat(Parser.parseOperands("columns", "hparams.lr, metrics.loss@min"))
                .extracting(Operand::display).containsExactly("hparams.lr", "metrics.loss@min");
    }

    @Test
    void syntaxErrorsNamePositionAndExpectation() {
        assertError("hparams.lr <", 13, "expected a value");
        assertError("hparams.lr < 0.1 and", 21, "expected a run attribute");
        assertError("(status = 'failed'", 19, "expected ')'");
        assertError("status = failed", 10, "quote text values");
        assertError("metrics.loss@avg < 1", 14, "expected an aggregate after '@'");
        assertError("metrics.loss@step=1.5 < 1", 19, "whole step number");
        assertError("name = 'abc", 8, "closing quote missing");
        assertError("flavour = 'red'", 1, "expected a run attribute");  // color is one now (run metadata)
        assertError("hparams.lr 0.1", 12, "expected an operator");
        assertError("name ~ 42", 8, "quoted regular expression");
        assertError("no nan in hparams.lr", 11, "a metric");
        assertError("no nan in metrics.loss@max", 11, "drop the @max");
        assertError("name = 'a' ; DROP TABLE run", 12, "a name, a value, an operator");
        assertError("", 1, "expected an expression");
        assertError("status = 'x' status = 'y'", 14, "'and', 'or' or the end");
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "(".repeat(3000) + "id = 1" + ")".repeat(3000);
        assertThatThrownBy(() -> parse(deep)).isInstanceOf(QuerySyntaxException.class)
                .hasMessageContaining("nests deeper than");
        String nots = "not ".repeat(2000) + "id = 1";
        assertThatThrownBy(() -> parse(nots)).isInstanceOf(QuerySyntaxException.class);
    }

    @Test
    void overlongInputIsRefused() {
        assertThatThrownBy(() -> parse("id = 1 or ".repeat(2000) + "id = 2"))
                .isInstanceOf(QuerySyntaxException.class).hasMessageContaining("longer than");
    }

    private static void assertError(String input, int column, String messagePart) {
        assertThatThrownBy(() -> parse(input))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessageContaining(messagePart)
                .satisfies(e -> assertThat(((QuerySyntaxException) e).column()).as("column for %s", input).isEqualTo(column));
    }
}
