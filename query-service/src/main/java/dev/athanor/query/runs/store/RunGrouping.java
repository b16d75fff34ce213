package dev.athanor.query.runs.store;

import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.querylang.ast.RunAttribute;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What runs are grouped by ({@code groupBy} of the scalars endpoint): an hparam, a label, a regex
 * capture on the run name, or a run attribute. A run's key is a JSON value (null when the run has
 * none: no such hparam, label or match).
 */
public sealed interface RunGrouping {

    /** The grouping as it was written, for the response. */
    String display();

    /** {@code hparams.<name>}: the typed value (numbers stay numbers). */
    record Hparam(String name) implements RunGrouping {
        public String display() {
            return "hparams." + name;
        }
    }

    /**
     * {@code label:<name>}: key {@code "<name>"} for runs carrying the label, null for the others;
     * {@code label:} alone: key = the run's labels, sorted and comma-joined (null without labels).
     */
    record Label(String name) implements RunGrouping {
        public String display() {
            return "label:" + (name == null ? "" : name);
        }
    }

    /** {@code regex:<pattern>}: the first match's one capture group on the run name (PostgreSQL regex). */
    record Regex(String pattern) implements RunGrouping {
        public String display() {
            return "regex:" + pattern;
        }
    }

    /** A run attribute: experiment, status, group, display_name, color, pinned. */
    record Attribute(RunAttribute attribute) implements RunGrouping {
        public String display() {
            return attribute.keyword();
        }
    }

    Set<RunAttribute> GROUPABLE = EnumSet.of(RunAttribute.EXPERIMENT, RunAttribute.STATUS, RunAttribute.GROUP,
            RunAttribute.DISPLAY_NAME, RunAttribute.COLOR, RunAttribute.PINNED);
    int MAX_PATTERN = 1000;

    /** Parses {@code groupBy}; a 400 naming {@code where} says what is accepted. */
    static RunGrouping parse(String where, String text) {
        String s = text.trim();
        if (s.startsWith("hparams.") && s.length() > "hparams.".length()) {
            return new Hparam(s.substring("hparams.".length()));
        }
        if (s.startsWith("label:") || s.equals("label")) {
            String name = s.equals("label") ? "" : s.substring("label:".length());
            if (!name.isEmpty() && !Run.LABEL.matcher(name).matches()) {
                throw new BadInputException(where, "label:<name> takes a label (letters, digits, . _ - : / = +); got '"
                        + name + "'");
            }
            return new Label(name.isEmpty() ? null : name);
        }
        if (text.startsWith("regex:")) {
            String pattern = text.substring("regex:".length());
            if (pattern.length() > MAX_PATTERN) {
                throw new BadInputException(where, "the pattern is " + pattern.length() + " characters; at most "
                        + MAX_PATTERN);
            }
            int groups = captureGroups(pattern);
            if (groups != 1) {
                throw new BadInputException(where, "regex:<pattern> needs exactly one capture group, e.g."
                        + " regex:lr([0-9.e-]+)_seed; '" + pattern + "' has " + groups);
            }
            return new Regex(pattern);
        }
        return RunAttribute.byKeyword(s).filter(GROUPABLE::contains).<RunGrouping>map(Attribute::new)
                .orElseThrow(() -> new BadInputException(where, "groupBy must be hparams.<name>, label:<name>, label:,"
                        + " regex:<pattern with one capture group> or one of "
                        + GROUPABLE.stream().map(RunAttribute::keyword).collect(Collectors.joining(", "))
                        + "; got '" + text + "'"));
    }

    /**
     * Capturing groups of a PostgreSQL (ARE) regular expression: '(' not escaped, not inside a
     * bracket expression and not followed by '?' (non-capturing groups, lookarounds, options).
     */
    static int captureGroups(String pattern) {
        int groups = 0;
        boolean inBracket = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inBracket) {
                if (c == ']') {
                    inBracket = false;
                }
            } else if (c == '[') {
                inBracket = true;
                // ']' right after '[' or '[^' is a literal member
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '^') {
                    i++;
                }
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == ']') {
                    i++;
                }
            } else if (c == '(' && (i + 1 >= pattern.length() || pattern.charAt(i + 1) != '?')) {
                groups++;
            }
        }
        return groups;
    }
}
