package dev.athanor.query.views.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.auth.Caller;
import dev.athanor.auth.CurrentCaller;
import dev.athanor.query.common.api.TextField;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.error.NotFoundException;
import dev.athanor.query.experiments.service.ExperimentService;
import dev.athanor.query.views.store.SavedView;
import dev.athanor.query.views.store.ViewStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Saved views of an experiment. Who may read or change them is the AuthFilter's (readers of the
 * experiment's project read, writers save, change and delete — audited); this checks the bodies:
 * a name of 1–128 characters without control characters, unique in the experiment, and a state
 * that is a JSON object of at most {@value #MAX_STATE_BYTES} bytes. The state's fields are the web
 * UI's; the server keeps them as given. The views of an experiment in the trash are hidden and
 * cannot be written (404 naming the experiment, as for any other read of it) until it is restored.
 */
@ApplicationScoped
public class ViewService {

    public static final int MAX_NAME = 128;
    public static final int MAX_STATE_BYTES = 65_536;

    private final ViewStore store;
    private final CurrentCaller current;
    private final ExperimentService experiments;
    private final ObjectMapper json = new ObjectMapper();

    public ViewService(ViewStore store, CurrentCaller current, ExperimentService experiments) {
        this.store = store;
        this.current = current;
        this.experiments = experiments;
    }

    /** 404 unless the experiment is there for the caller (not trashed, readable). */
    private void requireExperiment(long experimentId) {
        experiments.get(experimentId);
    }

    public List<SavedView> list(long experimentId) {
        requireExperiment(experimentId);
        return store.list(experimentId);
    }

    public SavedView get(long experimentId, long viewId) {
        requireExperiment(experimentId);
        return store.get(experimentId, viewId).orElseThrow(() -> notFound(experimentId, viewId));
    }

    public SavedView create(long experimentId, Map<String, Object> body) {
        requireExperiment(experimentId);
        requireBody(body);
        String name = name(body.get("name"));
        if (name == null) {
            throw new BadInputException("body.name", "a view needs a name (1-" + MAX_NAME + " characters)");
        }
        if (!body.containsKey("state")) {
            throw new BadInputException("body.state", "a view needs its state: a JSON object");
        }
        return store.create(experimentId, name, state(body.get("state")), who());
    }

    public SavedView update(long experimentId, long viewId, Map<String, Object> body) {
        requireExperiment(experimentId);
        requireBody(body);
        String name = body.containsKey("name") ? name(body.get("name")) : null;
        if (body.containsKey("name") && name == null) {
            throw new BadInputException("body.name", "a view's name cannot be cleared");
        }
        String state = body.containsKey("state") ? state(body.get("state")) : null;
        return store.update(experimentId, viewId, name, state, who()).orElseThrow(() -> notFound(experimentId, viewId));
    }

    public void delete(long experimentId, long viewId) {
        requireExperiment(experimentId);
        if (!store.delete(experimentId, viewId)) {
            throw notFound(experimentId, viewId);
        }
    }

    private static void requireBody(Map<String, Object> body) {
        if (body == null || body.isEmpty()) {
            throw new BadInputException("body", "a JSON object with name and/or state is required");
        }
        for (String field : body.keySet()) {
            if (!field.equals("name") && !field.equals("state")) {
                throw new BadInputException("body." + field, "unknown field '" + field + "': a view has name and state");
            }
        }
    }

    private static String name(Object value) {
        String name = TextField.check("body.name", value, MAX_NAME, false);
        return name == null || name.isBlank() ? null : name;
    }

    private String state(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new BadInputException("body.state", "a view's state must be a JSON object");
        }
        String text;
        try {
            text = json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new BadInputException("body.state", "a view's state cannot be written as JSON: " + e.getOriginalMessage());
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_STATE_BYTES) {
            throw new BadInputException("body.state", "a view's state is " + bytes + " bytes, over the "
                    + MAX_STATE_BYTES + "-byte bound");
        }
        if (text.indexOf("\\u0000") >= 0) {
            throw new BadInputException("body.state", "a view's state may not hold the character U+0000");
        }
        return text;
    }

    private String who() {
        Caller caller = current.get();
        return caller.username() != null ? caller.username() : caller.subject();
    }

    private static NotFoundException notFound(long experimentId, long viewId) {
        return new NotFoundException("viewId", "view " + viewId + " not found in experiment " + experimentId);
    }
}
