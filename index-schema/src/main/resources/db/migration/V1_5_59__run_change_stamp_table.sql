-- The alert evaluator's change stamp (V1_5_8) moves off the run row into a table of its own (issue
-- 15, the 100-run sweep). Ingest's indexer updates its run's wall-time bounds in every index
-- transaction (about 3,000 per 5 M points over 100 runs). With change_xid on the run row and
-- indexed, none of those updates could be HOT: each one added an entry to every index of run, and
-- run_experiment_natural_order_idx (V1_5_52) evaluated natural_sort_key(path) again each time.
-- bench's RunStampBench measured 353 us of PostgreSQL CPU per transaction that way, 93 without the
-- natural-order index, 73 with the update HOT. The run row now carries no column the update
-- changes that an index holds, so its update is HOT; the stamp is one small row per run whose
-- indexes hold only numbers.
CREATE TABLE run_change (
    run_id     bigint PRIMARY KEY REFERENCES run (id) ON DELETE CASCADE,
    change_xid bigint      NOT NULL,
    changed_at timestamptz NOT NULL
);
INSERT INTO run_change (run_id, change_xid, changed_at)
SELECT id, change_xid, coalesce(changed_at, now()) FROM run WHERE change_xid IS NOT NULL;

DROP TRIGGER run_changed ON run;
DROP INDEX run_change_xid_idx;
ALTER TABLE run DROP COLUMN change_xid, DROP COLUMN changed_at;
CREATE INDEX run_change_xid_idx ON run_change (change_xid);

-- Every insert or update of a run still stamps it with the writing transaction's id and wakes
-- listeners (the same contract as V1_5_8). AFTER the write, so that a new run's row exists for the
-- foreign key; two updates of one run in one transaction stamp it twice with the same id.
CREATE OR REPLACE FUNCTION run_mark_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO run_change (run_id, change_xid, changed_at)
    VALUES (NEW.id, pg_current_xact_id()::text::bigint, clock_timestamp())
    ON CONFLICT (run_id) DO UPDATE SET change_xid = EXCLUDED.change_xid, changed_at = EXCLUDED.changed_at;
    -- Delivered at commit, once per distinct payload per transaction.
    PERFORM pg_notify('athanor_indexed', NEW.id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER run_changed AFTER INSERT OR UPDATE ON run FOR EACH ROW EXECUTE FUNCTION run_mark_changed();
