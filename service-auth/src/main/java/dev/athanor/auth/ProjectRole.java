package dev.athanor.auth;

import java.util.Locale;
import java.util.Optional;

/** A role in one project. Each role includes the ones before it: admin ⊃ writer ⊃ reader. */
public enum ProjectRole {
    READER, WRITER, ADMIN;

    /** Whether holding this role grants {@code needed} as well. */
    public boolean includes(ProjectRole needed) {
        return compareTo(needed) >= 0;
    }

    /** The name used in role strings and messages: {@code reader}, {@code writer}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<ProjectRole> parse(String label) {
        for (ProjectRole role : values()) {
            if (role.label().equals(label)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
