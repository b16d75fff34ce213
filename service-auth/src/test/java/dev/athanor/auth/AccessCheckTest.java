package dev.athanor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.auth.testing.AuditCapture;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessCheckTest {

    /** Run 7 is in project alpha, run 8 in beta; nothing else exists. */
    private static final ItemProjects ITEMS = new ItemProjects() {
        @Override
        public List<String> parameters() {
            return List.of("runId");
        }

        @Override
        public Optional<String> projectOf(String parameter, long id) {
            return id == 7 ? Optional.of("alpha") : id == 8 ? Optional.of("beta") : Optional.empty();
        }
    };

    private static Caller caller(String... roles) {
        return new Caller("sub", "user", "client", ProjectGrants.fromRoles(List.of(roles)));
    }

    private static AccessCheck.Verdict decide(Caller caller, AccessRule rule, boolean change, Map<String, List<String>> path) {
        return AccessCheck.decide(caller, rule, (change ? "PATCH" : "GET") + " /x", change, path, ITEMS);
    }

    @Test
    void anItemOfAProjectTheCallerCannotReadIsNotFoundWhateverTheRule() {
        for (AccessRule rule : List.of(AccessRule.signedIn("GET /runs/{runId}"),
                AccessRule.project("GET /runs/{runId}", ProjectRole.READER))) {
            var verdict = decide(caller("project:alpha:admin"), rule, false, Map.of("runId", List.of("8")));
            assertThat(verdict).isEqualTo(new AccessCheck.Refused(404, "NOT_FOUND", "run 8 not found", "runId"));
            assertThat(decide(caller("project:alpha:admin"), rule, false, Map.of("runId", List.of("9"))))
                    .isEqualTo(new AccessCheck.Refused(404, "NOT_FOUND", "run 9 not found", "runId"));
        }
    }

    @Test
    void aProjectRuleNeedsItsRoleInTheItemsProject() {
        AccessRule rule = AccessRule.project("PATCH /runs/{runId}", ProjectRole.WRITER);
        var refused = (AccessCheck.Refused) decide(caller("project:alpha:reader"), rule, true, Map.of("runId", List.of("7")));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.message()).contains("writer", "'alpha'");
        var allowed = (AccessCheck.Allowed) decide(caller("project:alpha:writer"), rule, true, Map.of("runId", List.of("7")));
        assertThat(allowed.project()).isEqualTo("alpha");
        assertThat(allowed.target()).isEqualTo(Map.of("runId", 7L));
        assertThat(allowed.audited()).isTrue();
    }

    @Test
    void aNamedProjectIsNotFoundWithoutEchoingItsName() {
        AccessRule rule = AccessRule.project("PUT /projects/{project}/policy", ProjectRole.ADMIN);
        var refused = (AccessCheck.Refused) decide(caller("project:alpha:admin"), rule, true,
                Map.of("project", List.of("beta")));
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.message()).doesNotContain("beta");
        var writer = (AccessCheck.Refused) decide(caller("project:beta:writer"), rule, true, Map.of("project", List.of("beta")));
        assertThat(writer.status()).isEqualTo(403);
        assertThat(writer.message()).contains("admin", "'beta'");
    }

    @Test
    void theWholeInstallationNeedsThePlatformRole() {
        AccessRule rule = AccessRule.platformAdmin("POST /passes");
        assertThat(decide(caller("project:alpha:admin"), rule, true, Map.of()))
                .isInstanceOfSatisfying(AccessCheck.Refused.class, r -> assertThat(r.message()).contains("platform:admin"));
        assertThat(decide(caller("platform:admin"), rule, true, Map.of())).isInstanceOf(AccessCheck.Allowed.class);
    }

    @Test
    void aProjectRuleOnAPathNamingNoProjectFailsClosed() {
        var verdict = decide(caller("project:alpha:admin"), AccessRule.project("POST /x", ProjectRole.READER), false, Map.of());
        assertThat(verdict).isInstanceOfSatisfying(AccessCheck.Refused.class, r -> assertThat(r.status()).isEqualTo(403));
    }

    @Test
    void theLocalSuperuserIsNotLookedUpButItsChangesAreAudited() {
        var verdict = (AccessCheck.Allowed) decide(Caller.LOCAL, AccessRule.project("PATCH /runs/{runId}", ProjectRole.WRITER),
                true, Map.of("runId", List.of("12345")));
        assertThat(verdict.project()).isNull();
        assertThat(verdict.target()).isEqualTo(Map.of("runId", 12345L));
        assertThat(verdict.audited()).isTrue();
    }

    @Test
    void refusedChangesAreAuditedReadsAndSignedInCallsAreNot() {
        try (AuditCapture audit = AuditCapture.start()) {
            decide(caller("project:alpha:reader"), AccessRule.project("PATCH /runs/{runId}", ProjectRole.WRITER), true,
                    Map.of("runId", List.of("7")));
            decide(caller("project:alpha:reader"), AccessRule.project("GET /runs/{runId}", ProjectRole.READER), false,
                    Map.of("runId", List.of("8")));
            decide(caller("project:alpha:reader"), AccessRule.signedIn("POST /runs/search/{runId}"), true,
                    Map.of("runId", List.of("8")));
            assertThat(audit.lines()).singleElement().asString()
                    .contains("outcome=denied", "action=\"PATCH /x\"", "project=alpha", "runId=7");
        }
    }
}
