package dev.athanor.cli.output;

import java.io.PrintWriter;
import java.util.List;

/** RFC 4180 rows: fields with a comma, quote or line break are quoted, quotes doubled; CRLF ends a row. */
public final class Csv {

    private Csv() {
    }

    public static void row(PrintWriter out, List<String> fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(field(fields.get(i)));
        }
        out.print(line.append("\r\n"));
    }

    static String field(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
