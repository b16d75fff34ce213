package dev.athanor.query.profile.service;

import dev.athanor.profile.index.ProfileIndex;
import dev.athanor.query.common.error.BadInputException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Two traces' ops side by side (two runs, or two sessions — profiled step ranges — of one run):
 * joined by name, type and side, an op missing from one side counting zero there, with the change
 * of self time from A to B. Per step ({@code per=step}) divides each side by its number of steps,
 * so sessions that profiled a different number of steps compare fairly.
 */
public final class OpCompare {

    public enum Per {
        TRACE, STEP
    }

    /** Times in ns (per step when asked); {@code deltaSelfNs} = B − A; {@code ratio} = B / A, null when A is 0. */
    public record Row(String name, String type, String side, double countA, double countB, long selfNsA, long selfNsB,
                      long totalNsA, long totalNsB, long deltaSelfNs, Double ratio) {
    }

    public record Table(String per, int stepsA, int stepsB, long hostSelfNsA, long hostSelfNsB, long deviceSelfNsA,
                        long deviceSelfNsB, int matched, List<Row> items) {
    }

    private static final List<String> SORTS = List.of("change", "increase", "decrease", "a", "b", "name");

    private OpCompare() {
    }

    public static Table of(ProfileIndex a, ProfileIndex b, String per, String side, String search, String sort,
                           int limit) {
        Per by = parsePer(per);
        int stepsA = a.steps().size();
        int stepsB = b.steps().size();
        if (by == Per.STEP && (stepsA == 0 || stepsB == 0)) {
            throw new BadInputException("per", "per=step needs steps in both traces; "
                    + (stepsA == 0 ? "A" : "B") + " has no step markers");
        }
        double divA = by == Per.STEP ? stepsA : 1;
        double divB = by == Per.STEP ? stepsB : 1;
        Predicate<ProfileIndex.Op> wanted = OpTable.filter(side, search);
        Comparator<Row> order = parseSort(sort);
        Map<String, ProfileIndex.Op[]> joined = new LinkedHashMap<>();
        a.ops().stream().filter(wanted).forEach(o -> joined.computeIfAbsent(key(o), k -> new ProfileIndex.Op[2])[0] = o);
        b.ops().stream().filter(wanted).forEach(o -> joined.computeIfAbsent(key(o), k -> new ProfileIndex.Op[2])[1] = o);
        List<Row> rows = joined.values().stream().map(pair -> row(pair[0], pair[1], divA, divB)).sorted(order).toList();
        return new Table(by.name().toLowerCase(java.util.Locale.ROOT), stepsA, stepsB,
                scaled(OpTable.selfNs(a.ops(), false), divA), scaled(OpTable.selfNs(b.ops(), false), divB),
                scaled(OpTable.selfNs(a.ops(), true), divA), scaled(OpTable.selfNs(b.ops(), true), divB),
                rows.size(), rows.subList(0, Math.min(limit, rows.size())));
    }

    private static String key(ProfileIndex.Op o) {
        return OpTable.side(o) + '\0' + o.type() + '\0' + o.name();
    }

    private static Row row(ProfileIndex.Op a, ProfileIndex.Op b, double divA, double divB) {
        ProfileIndex.Op any = a != null ? a : b;
        long selfA = a == null ? 0 : scaled(a.selfNs(), divA);
        long selfB = b == null ? 0 : scaled(b.selfNs(), divB);
        return new Row(any.name(), any.type(), OpTable.side(any), a == null ? 0 : a.count() / divA,
                b == null ? 0 : b.count() / divB, selfA, selfB, a == null ? 0 : scaled(a.totalNs(), divA),
                b == null ? 0 : scaled(b.totalNs(), divB), selfB - selfA, selfA == 0 ? null : (double) selfB / selfA);
    }

    private static long scaled(long ns, double divisor) {
        return Math.round(ns / divisor);
    }

    private static Per parsePer(String per) {
        if (per == null || per.isBlank() || per.equals("trace")) {
            return Per.TRACE;
        }
        if (per.equals("step")) {
            return Per.STEP;
        }
        throw new BadInputException("per", "per must be trace (whole traces) or step (each divided by its steps); got '"
                + per + "'");
    }

    /** {@code change} (default: largest change either way first), {@code increase}, {@code decrease}, {@code a}, {@code b}, {@code name}. */
    private static Comparator<Row> parseSort(String sort) {
        String s = sort == null || sort.isBlank() ? "change" : sort.trim();
        Comparator<Row> c = switch (s) {
            case "change" -> Comparator.comparingLong((Row r) -> Math.abs(r.deltaSelfNs())).reversed();
            case "increase" -> Comparator.comparingLong(Row::deltaSelfNs).reversed();
            case "decrease" -> Comparator.comparingLong(Row::deltaSelfNs);
            case "a" -> Comparator.comparingLong(Row::selfNsA).reversed();
            case "b" -> Comparator.comparingLong(Row::selfNsB).reversed();
            case "name" -> Comparator.comparing(Row::name);
            default -> throw new BadInputException("sort", "sort must be one of " + SORTS + "; got '" + sort + "'");
        };
        return c.thenComparing(Row::name).thenComparing(Row::type);
    }
}
