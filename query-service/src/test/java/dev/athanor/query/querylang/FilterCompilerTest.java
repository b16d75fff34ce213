package dev.athanor.query.querylang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.querylang.sql.FilterCompiler;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The compiled SQL: values only ever as parameters, placeholders and parameters in step. */
class FilterCompilerTest {

    private static SqlFragment compile(String filter) {
        return new FilterCompiler("filter").predicate(Parser.parseFilter("filter", filter));
    }

    private static int placeholders(String sql) {
        Matcher m = Pattern.compile("\\?").matcher(sql);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void everyValueAndNameIsAParameter() {
        String hostile = "x'); DROP TABLE run; --";
        SqlFragment sql = compile("hparams.\"" + hostile + "\" = \"" + hostile + "\" or name ~ \"" + hostile
                + "\" or metrics.\"" + hostile + "\"@step=5 > 1 or no nan in metrics.\"" + hostile + "\"");
        assertThat(sql.sql()).doesNotContain("DROP").doesNotContain("x'");
        assertThat(sql.params()).contains(hostile);
        assertThat(placeholders(sql.sql())).isEqualTo(sql.params().size());
    }

    @Test
    void placeholdersMatchParametersForEveryConstruct() {
        String[] filters = {
                "hparams.lr < 0.1", "hparams.lr != 0.1", "hparams.opt in (\"a\", \"b\", 3, true, null)",
                "hparams.x is null", "hparams.x ~ \"a\"", "metrics.loss@step=100 >= 2", "metrics.loss@count = 3",
                "started > \"2024-01-01\"", "ended is not null", "status = \"running\"", "id in (1, 2)",
                "not (experiment = \"e\" and group !~ \"g\")", "no nonfinite in metrics.loss", "name = null",
        };
        for (String filter : filters) {
            SqlFragment sql = compile(filter);
            assertThat(placeholders(sql.sql())).as(filter).isEqualTo(sql.params().size());
        }
    }

    @Test
    void statusIsNormalisedAndChecked() {
        assertThat(compile("status = \"finished\"").params()).containsExactly("FINISHED");
        assertThatThrownBy(() -> compile("status = \"done\"")).isInstanceOf(QuerySyntaxException.class)
                .hasMessageContaining("status is one of");
    }

    @Test
    void typeMismatchesAreRefusedWithTheirColumn() {
        assertThatThrownBy(() -> compile("name = 5")).isInstanceOf(QuerySyntaxException.class)
                .hasMessageContaining("column 8").hasMessageContaining("quote the value");
        assertThatThrownBy(() -> compile("metrics.loss < \"low\"")).hasMessageContaining("is a number");
        assertThatThrownBy(() -> compile("started > \"yesterday\"")).hasMessageContaining("is a time");
        assertThatThrownBy(() -> compile("id = 1.5")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> compile("started ~ \"2024\"")).hasMessageContaining("not text");
        assertThatThrownBy(() -> compile("hparams.lr < true")).hasMessageContaining("orders numbers or strings");
    }

    @Test
    void timesAcceptDatesInstantsAndEpochSeconds() {
        assertThat(compile("started > \"2024-01-02\"").params().get(0).toString()).isEqualTo("2024-01-02T00:00Z");
        assertThat(compile("started > \"2024-01-02T03:04:05+02:00\"").params().get(0).toString())
                .isEqualTo("2024-01-02T03:04:05+02:00");
        assertThat(compile("started > 1700000000").params().get(0).toString()).isEqualTo("2023-11-14T22:13:20Z");
    }
}
