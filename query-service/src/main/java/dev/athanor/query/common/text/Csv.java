package dev.athanor.query.common.text;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled; lines end with CRLF. */
public final class Csv {

    private Csv() {
    }

    public static String field(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

    /**
     * Numbers in plain notation where that stays short (wall times as 1795729064.325737, not
     * 1.795729064325737E9), scientific beyond; NaN and the infinities as "NaN", "Infinity", "-Infinity".
     */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        double magnitude = Math.abs(value);
        if (magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e15)) {
            String plain = java.math.BigDecimal.valueOf(value).toPlainString();
            return plain.equals("-0.0") || value == 0 && 1 / value < 0 ? "-0.0" : plain;
        }
        return Double.toString(value);
    }

    public static void row(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(field(fields.get(i)));
        }
        out.write("\r\n");
    }
}
