package dev.athanor.archive.auth;

import static dev.athanor.auth.AccessRule.platformAdmin;
import static dev.athanor.auth.AccessRule.project;
import static dev.athanor.auth.ProjectRole.ADMIN;
import static dev.athanor.auth.ProjectRole.READER;

import dev.athanor.auth.AccessRules;

/**
 * Who may call each archive endpoint: the whole installation (status, passes, damage, scrubs) is the
 * platform role's; a project's settings and shares are read by its readers and changed by its admins;
 * a segment's details are its project's readers'. An endpoint missing here is refused to everyone
 * ({@code ArchiveAccessRulesTest} lists the served endpoints against this table).
 */
public final class ArchiveAccessRules {

    public static final AccessRules TABLE = AccessRules.of(
            platformAdmin("GET /api/v1/archive/status"),
            platformAdmin("POST /api/v1/archive/passes"),
            platformAdmin("GET /api/v1/archive/damage"),
            platformAdmin("POST /api/v1/archive/scrubs"),
            project("GET /api/v1/archive/segments/{segmentId}", READER),
            project("GET /api/v1/projects/{project}/archive-policy", READER),
            project("PUT /api/v1/projects/{project}/archive-policy", ADMIN),
            project("GET /api/v1/projects/{project}/archive-deletions", READER),
            project("POST /api/v1/projects/{project}/experiments/{experiment}/share-links", ADMIN),
            project("GET /api/v1/projects/{project}/experiments/{experiment}/replication", READER),
            project("POST /api/v1/projects/{project}/experiments/{experiment}/replication", ADMIN));

    private ArchiveAccessRules() {
    }
}
