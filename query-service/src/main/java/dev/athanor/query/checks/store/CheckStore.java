package dev.athanor.query.checks.store;

import dev.athanor.query.querylang.ast.Expr;
import java.util.List;

/** Evaluates assertions on runs. Implementations must pass {@code CheckStoreContract}. */
public interface CheckStore {

    /** One outcome per run, in path order. */
    List<RunOutcome> evaluate(List<Long> runIds, Expr assertion);
}
