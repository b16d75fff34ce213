package dev.athanor.auth;

import java.util.Objects;

/**
 * One endpoint's access: {@code endpoint} is {@code "METHOD /path/{param}"} for REST (the path
 * template as the resource declares it) or the full gRPC method name
 * ({@code "athanor.ingest.v1.IngestService/CreateRun"}).
 *
 * @param role the project role a {@link Access#PROJECT} rule needs; null for the other kinds
 */
public record AccessRule(String endpoint, Access access, ProjectRole role) {

    public AccessRule {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(access, "access");
        if ((access == Access.PROJECT) != (role != null)) {
            throw new IllegalArgumentException(endpoint + ": a project rule names its role, no other rule does");
        }
    }

    public static AccessRule open(String endpoint) {
        return new AccessRule(endpoint, Access.PUBLIC, null);
    }

    public static AccessRule signedIn(String endpoint) {
        return new AccessRule(endpoint, Access.SIGNED_IN, null);
    }

    public static AccessRule platformAdmin(String endpoint) {
        return new AccessRule(endpoint, Access.PLATFORM_ADMIN, null);
    }

    public static AccessRule project(String endpoint, ProjectRole role) {
        return new AccessRule(endpoint, Access.PROJECT, Objects.requireNonNull(role, "role"));
    }

    /** Whether a call that changes something under this rule gets audit lines (its refusals too). */
    public boolean auditsChanges() {
        return access == Access.PLATFORM_ADMIN || access == Access.PROJECT;
    }

    @Override
    public String toString() {
        return endpoint + " → " + (role == null ? access.name() : access.name() + " " + role.label());
    }
}
