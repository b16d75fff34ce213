package dev.athanor.auth;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A service's rule table: every endpoint it serves has exactly one {@link AccessRule}; an endpoint
 * without one is refused (403 / PERMISSION_DENIED), so an endpoint added without a rule is closed
 * rather than open. Each service's test lists its endpoints against the table ({@link #unruled}).
 */
public final class AccessRules {

    private final Map<String, AccessRule> byEndpoint = new LinkedHashMap<>();

    private AccessRules(List<AccessRule> rules) {
        for (AccessRule rule : rules) {
            if (byEndpoint.put(rule.endpoint(), rule) != null) {
                throw new IllegalArgumentException("two access rules for " + rule.endpoint());
            }
        }
    }

    public static AccessRules of(AccessRule... rules) {
        return new AccessRules(List.of(rules));
    }

    public Optional<AccessRule> find(String endpoint) {
        return Optional.ofNullable(byEndpoint.get(endpoint));
    }

    public Collection<AccessRule> all() {
        return byEndpoint.values();
    }

    /** The endpoints among {@code served} without a rule (each a hole the edge refuses). */
    public Set<String> unruled(Collection<String> served) {
        Set<String> missing = new TreeSet<>(served);
        missing.removeAll(byEndpoint.keySet());
        return missing;
    }

    /** Rules for endpoints not among {@code served} (left behind when an endpoint went). */
    public Set<String> stale(Collection<String> served) {
        Set<String> stale = new TreeSet<>(byEndpoint.keySet());
        stale.removeAll(served);
        return stale;
    }

    /** What the edge answers for an endpoint without a rule. */
    public static String noRuleMessage(String endpoint) {
        return endpoint + " has no access rule, so it is refused to everyone (add it to the service's AccessRules)";
    }
}
