package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import dev.athanor.helm.render.ChartRendering;
import org.junit.jupiter.api.Test;

class ChartLintTest {

    @Test
    void chartPassesStrictLint() {
        LintResult result = ChartRendering.lint();

        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }
}
