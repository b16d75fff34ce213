package dev.athanor.auth;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What one caller may do per project, from the role strings {@code project:<project>:<role>} of the
 * token's {@code athanor_roles} claim. Only the highest role per project is kept (the hierarchy is
 * applied here, so a realm without composite roles works too). Anything else in the claim is
 * ignored and counted, never treated as a grant.
 *
 * <p>With auth off there is one local person with every right: {@link #superuser()}.
 */
public final class ProjectGrants {

    /** The index schema's rule for project names; it has no colon, so role strings split unambiguously. */
    static final Pattern PROJECT_NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,62}$");

    /** The platform role: operates the installation (archive passes and status), not a project. */
    public static final String PLATFORM_ADMIN = "platform:admin";

    private static final ProjectGrants SUPERUSER = new ProjectGrants(true, false, Map.of(), 0);
    private static final ProjectGrants NONE = new ProjectGrants(false, false, Map.of(), 0);

    private final boolean superuser;
    private final boolean platformAdmin;
    private final Map<String, ProjectRole> roles;
    private final int ignored;

    private ProjectGrants(boolean superuser, boolean platformAdmin, Map<String, ProjectRole> roles, int ignored) {
        this.superuser = superuser;
        this.platformAdmin = platformAdmin;
        this.roles = Collections.unmodifiableMap(roles);
        this.ignored = ignored;
    }

    /** Auth off: the local user may do everything. */
    public static ProjectGrants superuser() {
        return SUPERUSER;
    }

    /** A caller without any project role. */
    public static ProjectGrants none() {
        return NONE;
    }

    /** Parses role strings; unknown or malformed ones are ignored (see {@link #ignoredRoles()}). */
    public static ProjectGrants fromRoles(Collection<String> roleStrings) {
        Map<String, ProjectRole> roles = new TreeMap<>();
        int ignored = 0;
        boolean platformAdmin = false;
        for (String value : roleStrings) {
            if (PLATFORM_ADMIN.equals(value)) {
                platformAdmin = true;
                continue;
            }
            String[] parts = value == null ? new String[0] : value.split(":", -1);
            Optional<ProjectRole> role = parts.length == 3 && parts[0].equals("project")
                    && PROJECT_NAME.matcher(parts[1]).matches() ? ProjectRole.parse(parts[2]) : Optional.empty();
            if (role.isEmpty()) {
                ignored++;
                continue;
            }
            roles.merge(parts[1], role.get(), (a, b) -> a.includes(b) ? a : b);
        }
        return new ProjectGrants(false, platformAdmin, roles, ignored);
    }

    public boolean isSuperuser() {
        return superuser;
    }

    /** Holds {@value #PLATFORM_ADMIN} (or is the local superuser). It grants no project data. */
    public boolean isPlatformAdmin() {
        return superuser || platformAdmin;
    }

    public boolean may(ProjectRole needed, String project) {
        if (superuser) {
            return true;
        }
        ProjectRole held = roles.get(project);
        return held != null && held.includes(needed);
    }

    public boolean mayRead(String project) {
        return may(ProjectRole.READER, project);
    }

    public boolean mayWrite(String project) {
        return may(ProjectRole.WRITER, project);
    }

    public boolean mayAdmin(String project) {
        return may(ProjectRole.ADMIN, project);
    }

    /**
     * The projects this caller may read, for SQL filters; empty means "no restriction" (superuser).
     * A caller without roles gets an empty set inside the optional: it sees nothing.
     */
    public Optional<Set<String>> readableProjects() {
        return superuser ? Optional.empty() : Optional.of(Collections.unmodifiableSet(roles.keySet()));
    }

    /** The highest role per project (empty for the superuser, who holds every project). */
    public Map<String, ProjectRole> roles() {
        return roles;
    }

    /** Values of the roles claim that were not project roles (counted, never granted). */
    public int ignoredRoles() {
        return ignored;
    }

    @Override
    public String toString() {
        return superuser ? "superuser" : roles.toString();
    }
}
