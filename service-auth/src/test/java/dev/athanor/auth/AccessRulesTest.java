package dev.athanor.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    private static final AccessRules RULES = AccessRules.of(AccessRule.open("GET /info"),
            AccessRule.project("GET /runs/{runId}", ProjectRole.READER));

    @Test
    void listsServedEndpointsWithoutARuleAndRulesWithoutAnEndpoint() {
        assertThat(RULES.unruled(List.of("GET /info", "GET /runs/{runId}", "DELETE /runs/{runId}")))
                .containsExactly("DELETE /runs/{runId}");
        assertThat(RULES.stale(List.of("GET /info"))).containsExactly("GET /runs/{runId}");
        assertThat(RULES.find("DELETE /runs/{runId}")).isEmpty();
    }

    @Test
    void anEndpointHasOneRuleAndOnlyProjectRulesNameARole() {
        assertThatThrownBy(() -> AccessRules.of(AccessRule.open("GET /a"), AccessRule.signedIn("GET /a")))
                .hasMessageContaining("two access rules for GET /a");
        assertThatThrownBy(() -> new AccessRule("GET /a", Access.SIGNED_IN, ProjectRole.ADMIN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
