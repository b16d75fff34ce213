package dev.athanor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProjectGrantsTest {

    @Test
    void rolesIncludeTheOnesBelowThem() {
        ProjectGrants grants = ProjectGrants.fromRoles(List.of("project:demo:writer", "project:vision:admin",
                "project:other:reader"));
        assertThat(grants.mayRead("demo")).isTrue();
        assertThat(grants.mayWrite("demo")).isTrue();
        assertThat(grants.mayAdmin("demo")).isFalse();
        assertThat(grants.mayAdmin("vision")).isTrue();
        assertThat(grants.mayRead("vision")).isTrue();
        assertThat(grants.mayWrite("other")).isFalse();
        assertThat(grants.mayRead("nowhere")).isFalse();
        assertThat(grants.readableProjects()).contains(Set.of("demo", "vision", "other"));
    }

    @Test
    void theHighestRoleOfAProjectWinsWhateverTheOrder() {
        ProjectGrants grants = ProjectGrants.fromRoles(List.of("project:demo:admin", "project:demo:reader"));
        assertThat(grants.roles()).isEqualTo(Map.of("demo", ProjectRole.ADMIN));
    }

    @Test
    void anythingElseInTheClaimIsIgnoredAndCountedNeverGranted() {
        ProjectGrants grants = ProjectGrants.fromRoles(List.of("project:demo:owner", "project:Demo:reader",
                "project:demo", "project:a:b:reader", "offline_access", "project::reader", "project:demo:reader:x"));
        assertThat(grants.roles()).isEmpty();
        assertThat(grants.ignoredRoles()).isEqualTo(7);
        assertThat(grants.readableProjects()).contains(Set.of());
        assertThat(grants.isPlatformAdmin()).isFalse();
    }

    @Test
    void thePlatformRoleGrantsNoProject() {
        ProjectGrants grants = ProjectGrants.fromRoles(List.of(ProjectGrants.PLATFORM_ADMIN));
        assertThat(grants.isPlatformAdmin()).isTrue();
        assertThat(grants.mayRead("demo")).isFalse();
    }

    @Test
    void theLocalSuperuserMayDoEverythingAndIsNotFiltered() {
        ProjectGrants grants = ProjectGrants.superuser();
        assertThat(grants.mayAdmin("anything")).isTrue();
        assertThat(grants.readableProjects()).isEmpty();
        assertThat(grants.isPlatformAdmin()).isTrue();
    }
}
