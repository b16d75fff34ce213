package dev.athanor.tfevents.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * Structural comparison of two JSON trees, listing every difference by path
 * ({@code tags["data/loss"].scalars[3][2]: expected 0.5, was 0.25}). Objects compare by key set,
 * arrays element by element, numbers by value with doubles bit-exact (an integer and a double
 * are equal when their values are), everything else by equality.
 */
public final class JsonDiff {

    private final int limit;
    private final List<String> differences = new ArrayList<>();
    private int omitted;

    private JsonDiff(int limit) {
        this.limit = limit;
    }

    /** Up to {@code limit} differences (and a line saying how many more there were). */
    public static List<String> diff(JsonNode expected, JsonNode actual, int limit) {
        JsonDiff diff = new JsonDiff(limit);
        diff.compare("$", expected, actual);
        if (diff.omitted > 0) {
            diff.differences.add("... and " + diff.omitted + " more differences");
        }
        return diff.differences;
    }

    public static List<String> diff(JsonNode expected, JsonNode actual) {
        return diff(expected, actual, 40);
    }

    private void compare(String path, JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            if (!numbersEqual(expected, actual)) {
                add(path + ": expected " + expected + ", was " + actual);
            }
            return;
        }
        if (expected.getNodeType() != actual.getNodeType()) {
            add(path + ": expected " + abbreviate(expected) + ", was " + abbreviate(actual));
            return;
        }
        if (expected.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            actual.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                String child = path + "[\"" + key + "\"]";
                if (!actual.has(key)) {
                    add(child + ": missing (expected " + abbreviate(expected.get(key)) + ")");
                } else if (!expected.has(key)) {
                    add(child + ": unexpected (was " + abbreviate(actual.get(key)) + ")");
                } else {
                    compare(child, expected.get(key), actual.get(key));
                }
            }
        } else if (expected.isArray()) {
            if (expected.size() != actual.size()) {
                add(path + ": expected " + expected.size() + " elements, was " + actual.size());
            }
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            for (int i = 0; e.hasNext() && a.hasNext(); i++) {
                compare(path + "[" + i + "]", e.next(), a.next());
            }
        } else if (!expected.equals(actual)) {
            add(path + ": expected " + abbreviate(expected) + ", was " + abbreviate(actual));
        }
    }

    private static boolean numbersEqual(JsonNode expected, JsonNode actual) {
        if (expected.isIntegralNumber() && actual.isIntegralNumber()) {
            return expected.bigIntegerValue().equals(actual.bigIntegerValue());
        }
        return Double.doubleToLongBits(expected.doubleValue()) == Double.doubleToLongBits(actual.doubleValue());
    }

    private void add(String difference) {
        if (differences.size() < limit) {
            differences.add(difference);
        } else {
            omitted++;
        }
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}
