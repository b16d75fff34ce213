package dev.athanor.query.common.auth;

import jakarta.enterprise.context.RequestScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a write changed, told by the service that made the change, for the audit row the
 * {@link AuthFilter} writes once the response is known (e.g. {@code changes="labels: [] → [baseline]; note: changed"}).
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
