package dev.athanor.query.runs.store;

/**
 * Which page of runs to read: after a {@link RunCursor} (keyset paging, each page costs like the
 * first) or at an offset (every row before it is sorted again), {@code limit} runs, and whether to
 * count every matching run.
 *
 * @param offset rows to skip; 0 with a cursor
 * @param cursor where the page starts, or null for the first page / offset paging
 * @param limit  at most this many runs
 * @param count  whether {@link RunPage#total()} is computed
 */
public record RunPaging(int offset, RunCursor cursor, int limit, boolean count) {

    public RunPaging {
        if (offset < 0 || limit < 1 || (cursor != null && offset != 0)) {
            throw new IllegalArgumentException("offset " + offset + ", limit " + limit + ", cursor " + cursor);
        }
    }

    public static RunPaging first(int limit) {
        return new RunPaging(0, null, limit, true);
    }
}
