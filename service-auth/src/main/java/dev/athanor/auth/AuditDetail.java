package dev.athanor.auth;

import jakarta.enterprise.context.RequestScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a change did, told by the service that made it, for the audit line the
 * {@link RestAccessEdge} writes once the response is known (e.g.
 * {@code changes="labels: [] → [baseline]; note: changed"}).
 */
@RequestScoped
public class AuditDetail {

    private final Map<String, String> fields = new LinkedHashMap<>();

    public void put(String key, String value) {
        fields.put(key, value);
    }

    Map<String, String> fields() {
        return fields;
    }
}
