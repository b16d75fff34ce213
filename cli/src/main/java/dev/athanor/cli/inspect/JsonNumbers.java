package dev.athanor.cli.inspect;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * How Athanor writes doubles in JSON: the shortest decimal that reads back to the same double,
 * without an exponent (so wall times read as 1795729073.136863), and the non-finite values as
 * the strings "NaN", "Infinity" and "-Infinity" (JSON has no literal for them).
 */
final class JsonNumbers {

    private JsonNumbers() {
    }

    static void write(JsonGenerator json, double value) throws IOException {
        if (Double.isNaN(value)) {
            json.writeString("NaN");
        } else if (Double.isInfinite(value)) {
            json.writeString(value > 0 ? "Infinity" : "-Infinity");
        } else {
            json.writeNumber(new BigDecimal(Double.toString(value)).toPlainString());
        }
    }
}
