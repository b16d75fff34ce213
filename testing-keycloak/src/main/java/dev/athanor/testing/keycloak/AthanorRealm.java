package dev.athanor.testing.keycloak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What tests need to know about {@code deploy/keycloak/athanor-realm.json}: names, claims, and the
 * demo identities (dev-only credentials, the same as in the file). See {@code docs/auth.md}.
 */
public final class AthanorRealm {

    public static final String NAME = "athanor";
    /** Every token the services accept carries this in {@code aud}. */
    public static final String AUDIENCE = "athanor-api";
    /** The access-token claim with the caller's project roles, a flat array of strings. */
    public static final String ROLES_CLAIM = "athanor_roles";
    /** The client holding the project roles (and the services' own client id). */
    public static final String API_CLIENT = "athanor-api";
    /** The web UI: public, authorization code + PKCE S256. */
    public static final String WEB_CLIENT = "athanor-web";
    /** The CLI: public, device authorization grant. */
    public static final String CLI_CLIENT = "athanor-cli";
    /** Tests and demos only: public, password grant. */
    public static final String TEST_CLIENT = "athanor-test";

    public static final String READER = "reader";
    public static final String WRITER = "writer";
    public static final String ADMIN = "admin";

    public static final PodClient UPLOADER_DEMO = new PodClient("uploader-demo", "uploader-demo-dev-secret", "demo");
    public static final PodClient UPLOADER_OTHER = new PodClient("uploader-other", "uploader-other-dev-secret", "other");

    public static final DemoUser DEMO_READER = new DemoUser("demo-reader", "demo-reader", "demo", READER);
    public static final DemoUser DEMO_WRITER = new DemoUser("demo-writer", "demo-writer", "demo", WRITER);
    public static final DemoUser OTHER_READER = new DemoUser("other-reader", "other-reader", "other", READER);

    public static final List<DemoUser> DEMO_USERS = List.of(DEMO_READER, DEMO_WRITER, OTHER_READER);

    private AthanorRealm() {
    }

    /** The role string of a project role, e.g. {@code project:demo:writer}. */
    public static String role(String project, String role) {
        return "project:" + project + ":" + role;
    }

    /**
     * {@code deploy/keycloak/athanor-realm.json} of this checkout: under the system property
     * {@code athanor.repo.root} (set by the build), else found by walking up from the working directory.
     */
    public static Path file() {
        Path relative = Path.of("deploy", "keycloak", "athanor-realm.json");
        String root = System.getProperty("athanor.repo.root");
        if (root != null && Files.isRegularFile(Path.of(root).resolve(relative))) {
            return Path.of(root).resolve(relative);
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found under -Dathanor.repo.root=" + root
                + " nor above " + System.getProperty("user.dir"));
    }

    /** A training pod's confidential client (client-credentials grant) writing one project. */
    public record PodClient(String clientId, String secret, String project) {
    }

    /** A demo person with one role in one project (password = username; dev only). */
    public record DemoUser(String username, String password, String project, String role) {
    }
}
