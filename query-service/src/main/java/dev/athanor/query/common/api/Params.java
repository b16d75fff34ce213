package dev.athanor.query.common.api;

import dev.athanor.query.common.error.BadInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses query parameters by hand so that a malformed number is a 400 naming the parameter
 * (JAX-RS would answer 404 for a query parameter it cannot convert).
 */
public final class Params {

    private Params() {
    }

    public static Long optionalLong(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException(name, name + " must be a whole number; got '" + value + "'");
        }
    }

    public static Integer optionalInt(String name, String value) {
        Long v = optionalLong(name, value);
        if (v == null) {
            return null;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new BadInputException(name, name + " is out of range: " + value);
        }
        return v.intValue();
    }

    public static Boolean optionalBoolean(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new BadInputException(name, name + " must be true or false; got '" + value + "'");
        };
    }

    public static long requiredLong(String name, String value) {
        Long v = optionalLong(name, value);
        if (v == null) {
            throw new BadInputException(name, name + " is required");
        }
        return v;
    }

    public static String required(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new BadInputException(name, name + " is required");
        }
        return value;
    }

    /** Repeated parameters, each of which may also hold a comma-separated list. */
    public static List<Long> longs(String name, List<String> values) {
        List<Long> out = new ArrayList<>();
        if (values == null) {
            return out;
        }
        for (String value : values) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(optionalLong(name, part));
                }
            }
        }
        return out;
    }
}
