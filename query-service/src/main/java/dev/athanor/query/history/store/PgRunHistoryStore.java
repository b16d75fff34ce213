package dev.athanor.query.history.store;

import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import java.util.List;

/** {@link RunHistoryStore} over run_event and ingest_problem. */
public final class PgRunHistoryStore implements RunHistoryStore {

    private final Jdbc jdbc;

    public PgRunHistoryStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<RunEvent> events(long runId) {
        return jdbc.list(SqlFragment.builder()
                        .sql("SELECT at, kind, detail FROM run_event WHERE run_id = ").param(runId)
                        .sql(" ORDER BY at, id").build(),
                rs -> new RunEvent(Jdbc.getInstant(rs, "at"), rs.getString("kind"), rs.getString("detail")));
    }

    @Override
    public Page<IngestProblem> problems(long runId, PageRequest page) {
        long[] total = {0};
        List<IngestProblem> items = jdbc.list(SqlFragment.builder()
                        .sql("SELECT id, file_name, file_offset, kind, message, created_at, count(*) OVER () AS total"
                                + " FROM ingest_problem WHERE run_id = ").param(runId)
                        .sql(" ORDER BY id OFFSET ").param(page.offset()).sql(" LIMIT ").param(page.limit()).build(),
                rs -> {
                    total[0] = rs.getLong("total");
                    return new IngestProblem(rs.getLong("id"), rs.getString("file_name"), Jdbc.getLong(rs, "file_offset"),
                            rs.getString("kind"), rs.getString("message"), Jdbc.getInstant(rs, "created_at"));
                });
        if (items.isEmpty() && page.offset() > 0) {
            total[0] = jdbc.one(SqlFragment.builder().sql("SELECT count(*) FROM ingest_problem WHERE run_id = ")
                    .param(runId).build(), rs -> rs.getLong(1)).orElse(0L);
        }
        return Page.of(items, page, total[0]);
    }
}
