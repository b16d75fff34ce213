package dev.athanor.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides one call of a verified caller against its endpoint's {@link AccessRule}, the same way for
 * every service:
 * <ol>
 *   <li>the project a path names ({@code {project}}) and the project of every item id it names must be
 *       readable by the caller, else 404 exactly as if it did not exist — whatever the rule, so an
 *       endpoint under an item path cannot leak it;</li>
 *   <li>then the rule: {@link Access#PROJECT} needs its role in that project (403 naming it),
 *       {@link Access#PLATFORM_ADMIN} the platform role (403), {@link Access#SIGNED_IN} nothing more.</li>
 * </ol>
 * The local superuser (auth off) is not looked up: the resources answer for missing items themselves.
 * A refused change (not GET/HEAD) under a rule that {@link AccessRule#auditsChanges() audits} is
 * audited here; an allowed one is audited by the edge once its outcome is known.
 */
public final class AccessCheck {

    /** The {@code {project}} path parameter: a path naming its project. */
    public static final String PROJECT_PARAMETER = "project";
    /** Answered for a project the caller cannot read, without echoing its name. */
    public static final String PROJECT_NOT_FOUND = "project not found (or not readable with this token)";

    /** What the edge does with the call. */
    public sealed interface Verdict permits Allowed, Refused {
    }

    /**
     * @param project the project the path names (null if none, or auth off)
     * @param target  the path parameters, for the audit line (ids as numbers)
     * @param audited whether the edge audits the call's outcome
     */
    public record Allowed(String project, Map<String, Object> target, boolean audited) implements Verdict {
    }

    /** @param where the request part at fault ({@code project}, {@code runId}, …) */
    public record Refused(int status, String code, String message, String where) implements Verdict {
    }

    private AccessCheck() {
    }

    /**
     * @param action         what the audit line and the messages call the call ({@code "PATCH /api/v1/runs/12"})
     * @param change         whether the call changes something (not GET / HEAD)
     * @param pathParameters the path's parameters by name (a gRPC call has none)
     */
    public static Verdict decide(Caller caller, AccessRule rule, String action, boolean change,
                                 Map<String, List<String>> pathParameters, ItemProjects items) {
        boolean audited = change && rule.auditsChanges();
        boolean superuser = caller.grants().isSuperuser();
        Map<String, Object> target = new LinkedHashMap<>();
        pathParameters.forEach((name, values) -> {
            if (!name.equals(PROJECT_PARAMETER) && !values.isEmpty()) {
                target.put(name, isId(values.getFirst()) ? Long.parseLong(values.getFirst()) : values.getFirst());
            }
        });
        String project = null;
        for (String named : pathParameters.getOrDefault(PROJECT_PARAMETER, List.of())) {
            if (!superuser && !caller.mayRead(named)) {
                return refuse(caller, action, null, target, audited, 404, "NOT_FOUND", PROJECT_NOT_FOUND,
                        PROJECT_PARAMETER);
            }
            project = named;
        }
        for (String parameter : items.parameters()) {
            for (String raw : pathParameters.getOrDefault(parameter, List.of())) {
                if (superuser || !isId(raw)) {
                    continue;   // not an id: the resource answers 404 (or 400) itself
                }
                long id = Long.parseLong(raw);
                Optional<String> owner = items.projectOf(parameter, id);
                if (owner.isEmpty() || !caller.mayRead(owner.get())) {
                    return refuse(caller, action, null, target, audited, 404, "NOT_FOUND",
                            parameter.replace("Id", "") + " " + id + " not found", parameter);
                }
                project = owner.get();
            }
        }
        switch (rule.access()) {
            case PROJECT -> {
                if (!superuser && project == null) {
                    return refuse(caller, action, null, target, audited, 403, "PERMISSION_DENIED",
                            action + " names no project, which its access rule (" + rule + ") needs", "path");
                }
                if (!caller.grants().may(rule.role(), project)) {
                    AccessDeniedException denied = new AccessDeniedException(action, project, rule.role());
                    return refuse(caller, action, project, target, audited, 403, "PERMISSION_DENIED",
                            denied.getMessage(), PROJECT_PARAMETER);
                }
            }
            case PLATFORM_ADMIN -> {
                if (!caller.grants().isPlatformAdmin()) {
                    return refuse(caller, action, project, target, audited, 403, "PERMISSION_DENIED",
                            needsPlatformRole(action), "Authorization");
                }
            }
            case SIGNED_IN, PUBLIC -> {
            }
        }
        return new Allowed(project, target, audited);
    }

    /**
     * A gRPC call, which names its project in the request rather than a path: the edge checks the
     * platform role; a {@link Access#PROJECT} rule's role is checked by the service once it has read
     * the project from the request (ingest's {@code IngestAccess}, with the rule's role).
     */
    public static Verdict decideCall(Caller caller, AccessRule rule, String action) {
        if (rule.access() == Access.PLATFORM_ADMIN && !caller.grants().isPlatformAdmin()) {
            return refuse(caller, action, null, Map.of(), rule.auditsChanges(), 403, "PERMISSION_DENIED",
                    needsPlatformRole(action), "authorization");
        }
        return new Allowed(null, Map.of(), false);
    }

    private static Refused refuse(Caller caller, String action, String project, Map<String, Object> target,
                                  boolean audited, int status, String code, String message, String where) {
        if (audited) {
            AuditLog.record(caller, action, project, target, AuditLog.Outcome.DENIED, message);
        }
        return new Refused(status, code, message, where);
    }

    private static String needsPlatformRole(String action) {
        return action + " concerns the whole installation and needs the platform role "
                + ProjectGrants.PLATFORM_ADMIN + " (a client role of athanor-api, in athanor_roles)";
    }

    private static boolean isId(String value) {
        return value.matches("\\d{1,18}");
    }
}
