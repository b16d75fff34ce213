package dev.athanor.query.common.series;

import dev.athanor.query.common.jdbc.Trash;
import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import java.util.Optional;

/** Finds the series of a (run, tag) through the unique (run_id, tag) index. */
public final class SeriesLookup {

    private final Jdbc jdbc;

    public SeriesLookup(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<SeriesInfo> find(long runId, String tag) {
        return jdbc.one(SqlFragment.builder().sql("SELECT s.id, s.run_id, r.path, s.tag, s.plugin, s.data_class, s.metadata"
                + " FROM series s JOIN run r ON r.id = s.run_id WHERE " + Trash.runVisible("r") + " AND s.run_id = ").param(runId)
                .sql(" AND s.tag = ").param(tag).build(), rs -> new SeriesInfo(rs.getLong(1), rs.getLong(2),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6), rs.getBytes(7)));
    }
}
