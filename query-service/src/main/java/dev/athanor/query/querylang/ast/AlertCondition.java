package dev.athanor.query.querylang.ast;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * What an alert rule watches for in a run (docs/alerts.md). A rule fires while its condition
 * holds and resolves when it stops holding.
 */
public sealed interface AlertCondition {

    /**
     * A filter expression that describes trouble, such as {@code metrics.val_loss@last > 1.5} or
     * {@code status = 'failed'}: fires while it holds. With {@code after step N}, only once every
     * series it names has reached step N.
     */
    record Holds(Expr expr, OptionalLong afterStep) implements AlertCondition {
    }

    /**
     * A guard written as {@code athanor check} writes it, {@code no nan in metrics.loss}: fires
     * when it is broken, at the first offending step (at or after step N with {@code after step N}).
     */
    record Broken(Expr.NoNonFinite guard, OptionalLong afterStep) implements AlertCondition {
    }

    /** {@code no new points in metrics.loss for 15m}: a running run whose series stopped growing. */
    record Stalled(Operand.Metric metric, Duration quietFor) implements AlertCondition {
    }
}
