package dev.athanor.auth.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.auth.AccessRules;
import dev.athanor.auth.UnruledEndpointCheck;
import java.util.ArrayList;
import java.util.List;

/** The endpoints a running service really serves, to list against its access rules. */
public final class ServedEndpoints {

    private ServedEndpoints() {
    }

    /** Every JAX-RS resource method of the application, the test's probes among them. */
    public static List<String> rest() {
        UnruledEndpointCheck.Served served = UnruledEndpointCheck.served();
        List<String> endpoints = new ArrayList<>(served.rest());
        endpoints.addAll(served.probes());
        return endpoints;
    }

    /**
     * Every served JAX-RS resource method has a rule in {@code table} but the test's own probes (which
     * must be found: the listing works), and every rule has an endpoint.
     *
     * @param known   an endpoint the service certainly serves
     * @param probes  the test-only endpoints left without a rule on purpose
     */
    public static void assertEveryEndpointRuled(AccessRules table, String known, String... probes) {
        List<String> served = rest();
        assertThat(served).as("the resource methods found").contains(known);
        assertThat(table.unruled(served)).as("endpoints without an access rule").containsExactlyInAnyOrder(probes);
        assertThat(table.stale(served)).as("rules of endpoints that are gone").isEmpty();
    }
}
