-- Keyset paging of runs in their default order (experiment, then path naturally, then path, then
-- id; query-service PgRunStore.list): the page after a cursor is the row comparison
-- (experiment_id, natural_sort_key(path), path, id) > (…), an index condition here, so page N reads
-- its rows from the index like page 1 instead of sorting every run of the experiment. Runs in the
-- trash are never listed.
CREATE INDEX run_experiment_natural_order_idx ON run (experiment_id, natural_sort_key(path), path, id)
    WHERE trashed_at IS NULL;
