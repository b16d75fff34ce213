package dev.athanor.query.runs.store;

import java.util.List;

/**
 * One page of runs. {@code next} is the cursor of the page after this one (null on the last page);
 * {@code total} counts every matching run when it was asked for (by default on a first page and with
 * offset paging), else null. {@code offset} and {@code nextOffset} serve offset paging and are null
 * on a page read by cursor.
 */
public record RunPage(List<Run> items, Integer offset, int limit, Long total, Integer nextOffset, String next) {

    public RunPage {
        items = List.copyOf(items);
    }
}
