-- Per-project lifecycle of archived raw data, set through archive-service's REST API, and the
-- audit trail of what retention deleted.
CREATE TABLE archive_policy (
    project_id      bigint      PRIMARY KEY REFERENCES project (id) ON DELETE CASCADE,
    -- Move archived copies of runs that ended this long ago to the cold tier (NULL: the service's
    -- athanor.archive.tiering.cold-after, which may itself be unset = never).
    cold_after      interval    CHECK (cold_after >= interval '0'),
    -- Only segments at least this large go cold (archive classes bill a minimum size and duration
    -- per object; tiny segments cost more cold than warm). NULL: any size.
    cold_min_bytes  bigint      CHECK (cold_min_bytes >= 0),
    -- While set, nothing of the project is deleted by retention (hot files whose copy is verified
    -- still move to the archive: that keeps the data).
    legal_hold      boolean     NOT NULL DEFAULT false,
    -- Delete runs (index, hot files, archived copies) that ended this long ago. NULL: keep forever.
    retention       interval    CHECK (retention > interval '0'),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      text
);

-- One row per raw segment (or per run without segments) that retention deleted. No foreign keys:
-- the run is gone, its names stay here.
CREATE TABLE archive_deletion (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project         text        NOT NULL,
    experiment      text        NOT NULL,
    run_path        text        NOT NULL,
    run_id          bigint      NOT NULL,
    segment_path    text,
    store           text,
    object_key      text,
    size_bytes      bigint,
    crc32c          bigint,
    reason          text        NOT NULL CHECK (reason IN ('RETENTION')),
    retention       interval,
    run_ended_at    timestamptz,
    deleted_at      timestamptz NOT NULL DEFAULT now(),
    deleted_by      text        NOT NULL
);
CREATE INDEX archive_deletion_project_idx ON archive_deletion (project, deleted_at);
