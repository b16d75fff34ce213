package dev.athanor.query.views.store;

import java.util.List;
import java.util.Optional;

/** The saved_view table. A name taken in the experiment is a {@code ConflictException}. */
public interface ViewStore {

    List<SavedView> list(long experimentId);

    Optional<SavedView> get(long experimentId, long viewId);

    SavedView create(long experimentId, String name, String stateJson, String by);

    /** Changes the given fields (null keeps one); empty when there is no such view in the experiment. */
    Optional<SavedView> update(long experimentId, long viewId, String name, String stateJson, String by);

    boolean delete(long experimentId, long viewId);
}
