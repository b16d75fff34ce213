package dev.athanor.query.common.paging;

/** Offset paging with a bounded page size. */
public record PageRequest(int offset, int limit) {

    public PageRequest {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0: " + offset);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1: " + limit);
        }
    }
}
