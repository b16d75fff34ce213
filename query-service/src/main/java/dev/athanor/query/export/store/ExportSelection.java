package dev.athanor.query.export.store;

import dev.athanor.query.querylang.ast.Expr;
import dev.athanor.query.scalars.store.StepRange;
import java.util.List;

/**
 * What to export from one experiment.
 *
 * @param runIds  only these runs, or null for all
 * @param filter  run filter, or null
 * @param tags    only these tags, or empty for all
 * @param plugins only these plugins (scalars, histograms, images...), or empty for all
 */
public record ExportSelection(long experimentId, List<Long> runIds, Expr filter, List<String> tags,
                              List<String> plugins, StepRange range) {
}
