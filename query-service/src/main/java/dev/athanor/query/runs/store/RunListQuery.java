package dev.athanor.query.runs.store;

import dev.athanor.query.querylang.ast.Expr;
import dev.athanor.query.querylang.ast.Operand;
import dev.athanor.query.querylang.ast.SortKey;
import java.util.List;
import java.util.Set;

/**
 * Which runs to list.
 *
 * @param experimentId only runs of this experiment, or null for all
 * @param runIds       only these runs, or null
 * @param filter       parsed filter, or null
 * @param sort         sort keys (empty: by experiment, then path)
 * @param columns      extra values to project per run (hparams, metric aggregates)
 * @param projects     only runs of experiments in these projects (the caller's readable ones), or null for all
 */
public record RunListQuery(Long experimentId, List<Long> runIds, Expr filter, List<SortKey> sort,
                           List<Operand> columns, Set<String> projects) {

    public RunListQuery(Long experimentId, List<Long> runIds, Expr filter, List<SortKey> sort, List<Operand> columns) {
        this(experimentId, runIds, filter, sort, columns, null);
    }

    public RunListQuery {
        projects = projects == null ? null : Set.copyOf(projects);
        runIds = runIds == null ? null : List.copyOf(runIds);
        sort = sort == null ? List.of() : List.copyOf(sort);
        columns = columns == null ? List.of() : List.copyOf(columns);
    }

    public static RunListQuery of(Long experimentId, Expr filter) {
        return new RunListQuery(experimentId, null, filter, List.of(), List.of());
    }
}
