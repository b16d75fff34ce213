package dev.athanor.tfevents.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonlNumbersTest {

    @Test
    void finiteValuesArePlainDecimalsThatReadBackExactly() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (double v : new double[] {1795729073.136863, 0.1f, 1e-9, 123456789012345678.0, -2.5, 0}) {
            String token = JsonlNumbers.token(v);
            assertThat(token).doesNotContain("E").doesNotContain("\"");
            assertThat(json.readTree(token).doubleValue()).isEqualTo(v);
        }
        assertThat(JsonlNumbers.text(1795729073.136863)).isEqualTo("1795729073.136863");
    }

    @Test
    void nonFiniteValuesAreQuotedWords() {
        assertThat(JsonlNumbers.token(Double.NaN)).isEqualTo("\"NaN\"");
        assertThat(JsonlNumbers.token(Double.POSITIVE_INFINITY)).isEqualTo("\"Infinity\"");
        assertThat(JsonlNumbers.token(Double.NEGATIVE_INFINITY)).isEqualTo("\"-Infinity\"");
        assertThat(JsonlNumbers.text(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    }
}
