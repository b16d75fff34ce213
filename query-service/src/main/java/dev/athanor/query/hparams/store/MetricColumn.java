package dev.athanor.query.hparams.store;

/**
 * A metric of the hparams view: a scalar tag of a session run ({@code group} empty) or of one of
 * its sub-runs ({@code group} = the sub-run's path below the session, e.g. "validation"), as
 * TensorBoard's hparams plugin names metrics by (group, tag).
 *
 * @param key {@code tag}, or {@code group/tag}: how filters, sorts and CSV headers name it
 */
public record MetricColumn(String key, String group, String tag) {

    public static MetricColumn of(String group, String tag) {
        return new MetricColumn(group.isEmpty() ? tag : group + "/" + tag, group, tag);
    }
}
