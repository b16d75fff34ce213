package dev.athanor.query.profile.service;

import dev.athanor.profile.index.ProfileIndex;
import dev.athanor.query.common.error.BadInputException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The top-ops table: ops filtered by side and a search, sorted, each with its share of the self
 * time of its side (host or device), as TensorBoard's TF-stats page shows it.
 */
public final class OpTable {

    public enum Side {
        ALL, HOST, DEVICE
    }

    public record Row(String name, String type, String side, String kind, long count, long totalNs, long selfNs,
                      long avgNs, double share) {
    }

    public record Table(long hostSelfNs, long deviceSelfNs, int matched, List<Row> items) {
    }

    private static final List<String> SORTS = List.of("self", "total", "count", "avg", "name", "type");

    private OpTable() {
    }

    public static Table of(List<ProfileIndex.Op> ops, String side, String search, String sort, int limit) {
        Predicate<ProfileIndex.Op> wanted = filter(side, search);
        Comparator<Row> order = parseSort(sort);
        long host = selfNs(ops, false);
        long device = selfNs(ops, true);
        List<Row> rows = ops.stream()
                .filter(wanted)
                .map(o -> {
                    long sideTotal = o.kind().device() ? device : host;
                    return new Row(o.name(), o.type(), side(o),
                            o.kind().name().toLowerCase(Locale.ROOT), o.count(), o.totalNs(), o.selfNs(),
                            o.count() == 0 ? 0 : o.totalNs() / o.count(),
                            sideTotal == 0 ? 0 : (double) o.selfNs() / sideTotal);
                })
                .sorted(order).toList();
        return new Table(host, device, rows.size(), rows.subList(0, Math.min(limit, rows.size())));
    }

    /** The ops of a side ({@code all}, {@code host}, {@code device}) whose name or type holds {@code search}, any case. */
    static Predicate<ProfileIndex.Op> filter(String side, String search) {
        Side which = parseSide(side);
        String needle = search == null ? "" : search.toLowerCase(Locale.ROOT);
        return o -> (which == Side.ALL || (which == Side.DEVICE) == o.kind().device())
                && (needle.isEmpty() || o.name().toLowerCase(Locale.ROOT).contains(needle)
                || o.type().toLowerCase(Locale.ROOT).contains(needle));
    }

    /** The self time of the ops on the device ({@code device}) or the host. */
    static long selfNs(List<ProfileIndex.Op> ops, boolean device) {
        return ops.stream().filter(o -> o.kind().device() == device).mapToLong(ProfileIndex.Op::selfNs).sum();
    }

    static String side(ProfileIndex.Op op) {
        return op.kind().device() ? "device" : "host";
    }

    private static Side parseSide(String side) {
        if (side == null || side.isBlank()) {
            return Side.ALL;
        }
        try {
            return Side.valueOf(side.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("side", "side must be all, host or device; got '" + side + "'");
        }
    }

    /** {@code self} (default), {@code total}, {@code count}, {@code avg}, {@code name}, {@code type}; {@code -} reverses. */
    private static Comparator<Row> parseSort(String sort) {
        String s = sort == null || sort.isBlank() ? "self" : sort.trim();
        boolean reversed = s.startsWith("-");
        String key = reversed ? s.substring(1) : s;
        Comparator<Row> c = switch (key) {
            case "self" -> Comparator.comparingLong(Row::selfNs).reversed();
            case "total" -> Comparator.comparingLong(Row::totalNs).reversed();
            case "count" -> Comparator.comparingLong(Row::count).reversed();
            case "avg" -> Comparator.comparingLong(Row::avgNs).reversed();
            case "name" -> Comparator.comparing(Row::name);
            case "type" -> Comparator.comparing(Row::type);
            default -> throw new BadInputException("sort", "sort must be one of " + SORTS + " (- before it reverses); "
                    + "got '" + sort + "'");
        };
        return (reversed ? c.reversed() : c).thenComparing(Row::name);
    }
}
