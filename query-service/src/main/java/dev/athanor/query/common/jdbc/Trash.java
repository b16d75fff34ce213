package dev.athanor.query.common.jdbc;

/**
 * The one rule of what the trash hides (V1_5_9): every read of runs and experiments adds these
 * predicates, so a trashed run or experiment is absent from every list, search, chart, export,
 * hparams table and the TensorBoard data provider, while its rows stay for a restore. Trashing an
 * experiment trashes its runs too (run.trashed_with_experiment), so run reads test the run alone.
 */
public final class Trash {

    private Trash() {
    }

    /** SQL: the run aliased {@code alias} is not in the trash. */
    public static String runVisible(String alias) {
        return alias + ".trashed_at IS NULL";
    }

    /** SQL: the experiment aliased {@code alias} is not in the trash. */
    public static String experimentVisible(String alias) {
        return alias + ".trashed_at IS NULL";
    }
}
