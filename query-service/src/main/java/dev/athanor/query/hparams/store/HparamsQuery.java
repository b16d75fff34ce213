package dev.athanor.query.hparams.store;

import dev.athanor.query.querylang.ast.Expr;
import dev.athanor.query.querylang.ast.SortKey;
import java.util.List;

/** Which sessions of an experiment, in which order, with which metric columns. */
public record HparamsQuery(long experimentId, Expr filter, List<SortKey> sort, List<MetricColumn> metrics) {
}
