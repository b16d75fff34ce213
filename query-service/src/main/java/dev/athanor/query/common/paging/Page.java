package dev.athanor.query.common.paging;

import java.util.List;
import java.util.function.Function;

/**
 * One page of results. {@code total} counts every match; {@code nextOffset} is null on the last
 * page, so a client pages until it sees null.
 */
public record Page<T>(List<T> items, int offset, int limit, long total, Integer nextOffset) {

    public static <T> Page<T> of(List<T> items, PageRequest request, long total) {
        long next = (long) request.offset() + items.size();
        Integer nextOffset = next < total && !items.isEmpty() ? (int) next : null;
        return new Page<>(List.copyOf(items), request.offset(), request.limit(), total, nextOffset);
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), offset, limit, total, nextOffset);
    }
}
