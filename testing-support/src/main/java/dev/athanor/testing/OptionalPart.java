package dev.athanor.testing;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.AssertionFailedError;

/**
 * A part of the machine that some tests drive for real and a user's clone may lack. Such a test
 * skips with a message saying what to install — unless the part is listed in
 * {@value #REQUIRE_PROPERTY} (or the {@value #REQUIRE_ENV} environment variable), which CI sets for
 * what it prepared: then the same absence fails the test, so a green CI means those tests ran.
 */
public enum OptionalPart {
    FIXTURES("fixtures"),
    TENSORBOARD("tensorboard"),
    TORCH("torch"),
    CLIENT_PYTHON("client-python"),
    CHROMIUM("chromium"),
    NGINX("nginx"),
    PODMAN("podman"),
    /** A small tmpfs the test mounts itself (root with mount rights), for filling a disk. */
    TMPFS("tmpfs");

    public static final String REQUIRE_PROPERTY = "athanor.require";
    public static final String REQUIRE_ENV = "ATHANOR_REQUIRE";

    private final String key;

    OptionalPart(String key) {
        this.key = key;
    }

    /** The name used in {@value #REQUIRE_PROPERTY}. */
    public String key() {
        return key;
    }

    /**
     * Returns when the part is present; otherwise skips the calling test with {@code whyAbsent},
     * or fails it when the part is required.
     */
    public void assumePresent(boolean present, Supplier<String> whyAbsent) {
        if (present) {
            return;
        }
        String why = whyAbsent.get();
        if (required().contains(this)) {
            throw new AssertionFailedError(key + " is required here (" + REQUIRE_PROPERTY + "="
                    + requireSetting() + ") but is absent: " + why);
        }
        Assumptions.abort(why);
    }

    public void assumePresent(boolean present, String whyAbsent) {
        assumePresent(present, () -> whyAbsent);
    }

    /** Whether an absence of this part fails rather than skips. */
    public boolean isRequired() {
        return required().contains(this);
    }

    /** The parts named by the system property, else the environment variable; none by default. */
    static Set<OptionalPart> required() {
        return parse(requireSetting());
    }

    private static String requireSetting() {
        String property = System.getProperty(REQUIRE_PROPERTY);
        if (property != null && !property.isBlank()) {
            return property;
        }
        String env = System.getenv(REQUIRE_ENV);
        return env == null ? "" : env;
    }

    /** Parses a comma-separated list; an unknown name is refused so a typo cannot turn a check off. */
    static Set<OptionalPart> parse(String setting) {
        Set<OptionalPart> parts = EnumSet.noneOf(OptionalPart.class);
        for (String name : setting.split(",")) {
            String trimmed = name.strip().toLowerCase(Locale.ROOT);
            if (trimmed.isEmpty()) {
                continue;
            }
            parts.add(Arrays.stream(values()).filter(part -> part.key.equals(trimmed)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(REQUIRE_PROPERTY + " names an unknown part '"
                            + trimmed + "'; known: " + Arrays.stream(values()).map(OptionalPart::key)
                                    .collect(Collectors.joining(", ")))));
        }
        return parts;
    }
}
