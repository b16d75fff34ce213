package dev.athanor.cli.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Query parameters in the order added; null and empty values are left out. */
public final class Query {

    private final List<String[]> parameters = new ArrayList<>();

    public static Query of() {
        return new Query();
    }

    public Query add(String name, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            parameters.add(new String[] {name, value.toString()});
        }
        return this;
    }

    /** Repeats the parameter once per value. */
    public Query addAll(String name, List<?> values) {
        if (values != null) {
            values.forEach(value -> add(name, value));
        }
        return this;
    }

    /** {@code ?a=1&b=x%20y}, or the empty string when there are no parameters. */
    public String encoded() {
        if (parameters.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("?");
        for (String[] parameter : parameters) {
            if (out.length() > 1) {
                out.append('&');
            }
            out.append(encode(parameter[0])).append('=').append(encode(parameter[1]));
        }
        return out.toString();
    }

    private static String encode(String s) {
        // URLEncoder encodes for forms ('+' for space); %20 is read the same way by every server.
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
