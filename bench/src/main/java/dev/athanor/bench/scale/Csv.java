package dev.athanor.bench.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A benchmark's CSV as the benches write it: a header line, fields quoted with "" when they hold commas. */
record Csv(Path path, List<Row> rows) {

    /** One data line by column name. */
    record Row(Path path, Map<String, String> fields) {

        String text(String column) {
            String value = fields.get(column);
            if (value == null) {
                throw new IllegalArgumentException(path + " has no column " + column);
            }
            return value;
        }

        double value(String column) {
            String text = text(column);
            return text.isEmpty() ? Double.NaN : Double.parseDouble(text);
        }

        long longValue(String column) {
            return Math.round(value(column));
        }
    }

    /** The file's rows; none when the file does not exist (its part did not run). */
    static Csv read(Path path) {
        if (!Files.isRegularFile(path)) {
            return new Csv(path, List.of());
        }
        try {
            List<String> lines = Files.readAllLines(path);
            List<Row> rows = new ArrayList<>();
            if (!lines.isEmpty()) {
                List<String> header = split(lines.get(0));
                for (int i = 1; i < lines.size(); i++) {
                    if (lines.get(i).isBlank()) {
                        continue;
                    }
                    List<String> values = split(lines.get(i));
                    if (values.size() != header.size()) {
                        throw new IllegalArgumentException(path + " line " + (i + 1) + ": " + values.size()
                                + " fields, the header has " + header.size());
                    }
                    Map<String, String> fields = new HashMap<>();
                    for (int k = 0; k < header.size(); k++) {
                        fields.put(header.get(k), values.get(k));
                    }
                    rows.add(new Row(path, fields));
                }
            }
            return new Csv(path, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    static String quote(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
