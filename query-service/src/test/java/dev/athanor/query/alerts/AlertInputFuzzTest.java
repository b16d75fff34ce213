package dev.athanor.query.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.query.alerts.store.ConditionQuery;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.querylang.QuerySyntaxException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated filters and conditions: parsing and compiling either succeed or fail with a
 * {@link QuerySyntaxException} (a 400 naming where), never anything else (a 500); and what comes
 * out is parameterised: no text of the input reaches the SQL.
 */
class AlertInputFuzzTest {

    static final List<String> PIECES = List.of("no", "nan", "inf", "nonfinite", "in", "new", "points", "for", "after", "step",
            "metrics.loss", "metrics.\"a b\"", "metrics.loss@last", "metrics.loss@max", "metrics.loss@step=5", "hparams.lr",
            "status", "label", "name", "pinned", "=", "!=", "<", ">=", "~", "!~", "(", ")", ",", "and", "or", "not", "is",
            "null", "true", "'failed'", "\"x'); DROP TABLE run; --\"", "'(' ", "15m", "90s", "2h", "0d", "1.5", "-3",
            "1e309", "10000", "@", ".", "\"\"", "''", "\\", "\u0000", "🔥", "$$", "--", "/*", ";");

    static final List<String> SEEDS = List.of("no nan in metrics.loss", "metrics.val_loss@last > 1.5 after step 10000",
            "no new points in metrics.loss for 15m", "status = 'failed'", "metrics.accuracy@max < 0.5",
            "label = \"baseline\" and hparams.lr in (0.1, 0.01)");

    @Test
    void randomConditionsAndFiltersOnlyEverFailAsBadInput() {
        Random random = new Random(18);
        int parsed = 0;
        for (int i = 0; i < 20_000; i++) {
            String condition = random.nextBoolean() ? random(random) : mutate(random, SEEDS.get(random.nextInt(SEEDS.size())));
            String filter = random.nextInt(3) == 0 ? null : random.nextBoolean() ? random(random)
                    : mutate(random, SEEDS.get(random.nextInt(SEEDS.size())));
            try {
                ConditionQuery query = new ConditionQuery(filter, condition);
                parsed++;
                SqlFragment sql = query.sql(List.of(1L, 2L));
                assertThat(sql.sql()).as(condition).doesNotContain("DROP").doesNotContain("🔥").doesNotContain("\u0000");
            } catch (QuerySyntaxException expected) {
                assertThat(expected.where()).isIn("condition", "filter");
                assertThat(expected.getMessage()).startsWith(expected.where() + ": at column ");
            }
        }
        assertThat(parsed).as("some inputs parse (the fuzz reaches the compiler)").isGreaterThan(100);
    }

    static String random(Random random) {
        StringBuilder b = new StringBuilder();
        int n = 1 + random.nextInt(10);
        for (int i = 0; i < n; i++) {
            b.append(PIECES.get(random.nextInt(PIECES.size()))).append(random.nextInt(4) == 0 ? "" : " ");
        }
        return b.toString();
    }

    static String mutate(Random random, String seed) {
        StringBuilder b = new StringBuilder(seed);
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits && !b.isEmpty(); i++) {
            int at = random.nextInt(b.length());
            switch (random.nextInt(3)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, PIECES.get(random.nextInt(PIECES.size())));
                default -> b.setCharAt(at, (char) (32 + random.nextInt(95)));
            }
        }
        return b.toString();
    }
}
