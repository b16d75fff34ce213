package dev.athanor.query.projects.service;

import dev.athanor.query.common.jdbc.Trash;
import dev.athanor.auth.Caller;
import dev.athanor.auth.ProjectRole;
import dev.athanor.query.common.auth.ProjectAccess;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The caller's projects with their role and how many experiments each holds. */
@ApplicationScoped
public class ProjectService {

    /** One project as the caller sees it; {@code roles} lists every role the caller's role includes. */
    public record ProjectView(String name, String role, List<String> roles, long experiments) {
    }

    /** @param superuser auth off: the local user holds every project as admin */
    public record Projects(boolean superuser, boolean platformAdmin, String user, List<ProjectView> items) {
    }

    private final ProjectAccess access;
    private final Jdbc jdbc;

    public ProjectService(ProjectAccess access, Jdbc jdbc) {
        this.access = access;
        this.jdbc = jdbc;
    }

    public Projects mine() {
        Caller caller = access.caller();
        Map<String, Long> counts = new TreeMap<>();
        jdbc.list(SqlFragment.builder().sql("SELECT p.name, count(e.id) FROM project p"
                + " LEFT JOIN experiment e ON e.project_id = p.id AND " + Trash.experimentVisible("e") + " GROUP BY p.name").build(), rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
            return null;
        });
        Map<String, ProjectRole> roles = new TreeMap<>();
        if (caller.grants().isSuperuser()) {
            counts.keySet().forEach(p -> roles.put(p, ProjectRole.ADMIN));
        } else {
            // Granted projects are listed even before their first experiment exists.
            roles.putAll(caller.grants().roles());
        }
        List<ProjectView> items = new ArrayList<>();
        roles.forEach((project, role) -> items.add(new ProjectView(project, role.label(), included(role),
                counts.getOrDefault(project, 0L))));
        return new Projects(caller.grants().isSuperuser(), caller.grants().isPlatformAdmin(), caller.username(), items);
    }

    private static List<String> included(ProjectRole role) {
        List<String> out = new ArrayList<>();
        for (ProjectRole r : ProjectRole.values()) {
            if (role.includes(r)) {
                out.add(r.label());
            }
        }
        return out;
    }
}
