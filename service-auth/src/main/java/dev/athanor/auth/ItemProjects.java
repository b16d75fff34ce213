package dev.athanor.auth;

import java.util.List;
import java.util.Optional;

/**
 * A service's lookup from an item id in a path ({@code {runId}}, {@code {experimentId}}, …) to the
 * project it belongs to, for {@link AccessCheck}.
 */
public interface ItemProjects {

    /** The path parameters naming a project's item, checked in this order. */
    List<String> parameters();

    /** The item's project; empty when the item does not exist. */
    Optional<String> projectOf(String parameter, long id);
}
