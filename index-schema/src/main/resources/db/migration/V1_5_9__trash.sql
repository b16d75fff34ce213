-- Curating (issue 17, point 5): runs and experiments go to a trash before they are purged.
--
-- A trashed run or experiment keeps every row (index, raw segments, archived copies): it is only
-- hidden from every read of query-service, so a restore gives back exactly what was there. Its
-- name stays taken (UNIQUE (experiment_id, path) still holds), so an upload to a trashed run is
-- refused by ingest rather than starting a second run of that name.
ALTER TABLE experiment
    ADD COLUMN trashed_at timestamptz,
    ADD COLUMN trashed_by text,
    -- Set when the experiment's purge was asked for (or its window ended): its runs get purge
    -- requests, and query-service's trash sweeper deletes the experiment row once none is left.
    ADD COLUMN purge_requested_at timestamptz;

ALTER TABLE run
    ADD COLUMN trashed_at timestamptz,
    ADD COLUMN trashed_by text,
    -- Set on the runs that went to the trash because their experiment did (not on runs trashed
    -- before it): restoring the experiment restores exactly those.
    ADD COLUMN trashed_with_experiment boolean NOT NULL DEFAULT false;

CREATE INDEX run_trashed_idx ON run (trashed_at) WHERE trashed_at IS NOT NULL;
CREATE INDEX experiment_trashed_idx ON experiment (trashed_at) WHERE trashed_at IS NOT NULL;

-- The hand-off of a purge: query-service writes the request (an admin asked, or the run's trash
-- window ended); the archive-service beside the ingest replica that wrote the run's segments
-- (raw_segment.ingest_node) removes the archived and replicated objects, the hot files and the
-- journal, then, in one transaction, writes one archive_deletion row per removed object and
-- deletes the run (the index rows and this request cascade). A request that cannot be carried out
-- yet (legal hold, store unreachable) stays with last_error saying why.
CREATE TABLE purge_request (
    run_id        bigint      PRIMARY KEY REFERENCES run (id) ON DELETE CASCADE,
    reason        text        NOT NULL CHECK (reason IN ('ADMIN', 'TRASH_EXPIRED')),
    requested_by  text        NOT NULL,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Purges are audited beside retention deletions; a replicated copy is recorded with its
-- destination as the store.
ALTER TABLE archive_deletion DROP CONSTRAINT archive_deletion_reason_check;
ALTER TABLE archive_deletion ADD CONSTRAINT archive_deletion_reason_check
    CHECK (reason IN ('RETENTION', 'PURGE', 'TRASH_EXPIRED'));
