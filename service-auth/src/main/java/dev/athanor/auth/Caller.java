package dev.athanor.auth;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.Objects;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling and what they may do. With auth off, the one local user ({@link #LOCAL}).
 *
 * @param subject  the token's {@code sub} (stable Keycloak id), or {@code local}
 * @param username {@code preferred_username} ({@code service-account-<client>} for pods)
 * @param clientId {@code azp}: the client the token was issued to
 */
public record Caller(String subject, String username, String clientId, ProjectGrants grants) {

    public static final Caller LOCAL = new Caller("local", "local", "-", ProjectGrants.superuser());

    public Caller {
        Objects.requireNonNull(grants, "grants");
    }

    /** The caller of a verified token; its roles are the token's {@code athanor_roles}. */
    public static Caller of(SecurityIdentity identity) {
        String subject = null;
        String username = identity.getPrincipal() == null ? null : identity.getPrincipal().getName();
        String clientId = null;
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            subject = jwt.getSubject();
            clientId = jwt.getClaim("azp");
            String preferred = jwt.getClaim("preferred_username");
            username = preferred != null ? preferred : username;
        }
        return new Caller(orDash(subject), orDash(username), orDash(clientId), ProjectGrants.fromRoles(identity.getRoles()));
    }

    public boolean mayRead(String project) {
        return grants.mayRead(project);
    }

    public boolean mayWrite(String project) {
        return grants.mayWrite(project);
    }

    public boolean mayAdmin(String project) {
        return grants.mayAdmin(project);
    }

    /** Fails with {@link AccessDeniedException} unless the caller holds {@code needed} in {@code project}. */
    public void require(ProjectRole needed, String project, String action) {
        if (!grants.may(needed, project)) {
            throw new AccessDeniedException(action, project, needed);
        }
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
