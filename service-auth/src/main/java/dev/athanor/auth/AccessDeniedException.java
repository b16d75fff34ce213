package dev.athanor.auth;

/**
 * A valid caller lacks the project role an action needs: 403 / PERMISSION_DENIED. Only thrown
 * where naming the project leaks nothing (the caller named it, or may read it); an item of a
 * project the caller cannot read is reported as not found instead.
 */
public class AccessDeniedException extends RuntimeException {

    private final String action;
    private final String project;
    private final ProjectRole needed;

    public AccessDeniedException(String action, String project, ProjectRole needed) {
        super(action + " needs the role " + needed.label() + " in project '" + project
                + "' (a token whose athanor_roles holds project:" + project + ":" + needed.label() + ")");
        this.action = action;
        this.project = project;
        this.needed = needed;
    }

    public String action() {
        return action;
    }

    public String project() {
        return project;
    }

    public ProjectRole needed() {
        return needed;
    }
}
