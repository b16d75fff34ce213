-- The index: derived from the raw event log, rebuildable with `reindex`.
-- Ids are bigints; a (run, tag) series is interned once and referenced by id everywhere.

CREATE TABLE project (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- With auth off everything lives in the default project.
INSERT INTO project (name) VALUES ('default');

CREATE TABLE experiment (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id   bigint      NOT NULL REFERENCES project (id),
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
    description  text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, name)
);

CREATE TABLE run (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    experiment_id   bigint      NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    -- Relative to the uploaded logdir, '/'-separated, '.' for the logdir itself.
    path            text        NOT NULL CHECK (length(path) BETWEEN 1 AND 1024),
    status          text        NOT NULL DEFAULT 'RUNNING'
                                CHECK (status IN ('RUNNING', 'FINISHED', 'FAILED')),
    started_at      timestamptz,          -- wall time of the first event
    last_event_at   timestamptz,          -- wall time of the latest event
    ended_at        timestamptz,
    -- Typed hparams of the run's hparams session: {"lr": 0.01, "optimizer": "adam", "amp": true,
    -- "note": null}. Numbers stay numbers, an explicit null stays null.
    hparams         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- The hparams plugin's experiment config (_hparams_/experiment) when this run carries one.
    hparams_config  jsonb,
    session_group   text,
    session_status  text,                 -- from _hparams_/session_end_info
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (experiment_id, path)
);
CREATE INDEX run_hparams_idx ON run USING gin (hparams jsonb_path_ops);
CREATE INDEX run_experiment_started_idx ON run (experiment_id, started_at);

-- One row per (run, tag): the interned series id used by every point table.
CREATE TABLE series (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id        bigint   NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    tag           text     NOT NULL,
    plugin        text     NOT NULL,
    data_class    smallint NOT NULL,      -- tensorboard.DataClass number: 1 scalar, 2 tensor, 3 blob sequence
    metadata      bytea,                  -- SummaryMetadata as first written (first write wins)
    -- Scalar roll-up over every point, kept current by the indexer (the "latest" table, so run
    -- lists and metric filters never touch the points).
    point_count   bigint   NOT NULL DEFAULT 0,
    first_step    bigint,
    last_step     bigint,
    last_value    double precision,
    last_wall_time double precision,
    min_value     double precision,       -- over finite values
    max_value     double precision,
    nan_count     bigint   NOT NULL DEFAULT 0,
    inf_count     bigint   NOT NULL DEFAULT 0,
    UNIQUE (run_id, tag)
);
CREATE INDEX series_tag_last_value_idx ON series (tag, last_value);

-- Every scalar point is kept, packed in chunks of consecutive steps. Each chunk carries its own
-- roll-up (min/max over finite values, first/last, NaN/Inf counts), so a downsampled read costs
-- O(chunks in range) plus the points of the chunks it has to open.
CREATE TABLE scalar_chunk (
    series_id        bigint  NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    first_step       bigint  NOT NULL,
    last_step        bigint  NOT NULL,
    point_count      integer NOT NULL CHECK (point_count > 0),
    steps            bigint[]           NOT NULL,
    wall_times       double precision[] NOT NULL,
    vals             double precision[] NOT NULL,
    min_value        double precision,
    max_value        double precision,
    first_value      double precision NOT NULL,
    last_value       double precision NOT NULL,
    first_wall_time  double precision NOT NULL,
    last_wall_time   double precision NOT NULL,
    nan_count        integer NOT NULL DEFAULT 0,
    inf_count        integer NOT NULL DEFAULT 0,
    -- (series_id, step) lookups go through this key: chunks of a series never overlap.
    PRIMARY KEY (series_id, first_step)
);

-- Small tensors (histograms, text, PR curves, custom data), migrated as TensorBoard does and
-- stored as serialized TensorProto. The last value written at a step wins.
CREATE TABLE tensor_point (
    series_id   bigint           NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    step        bigint           NOT NULL,
    wall_time   double precision NOT NULL,
    dtype       smallint         NOT NULL,
    shape       bigint[]         NOT NULL,
    tensor      bytea            NOT NULL,
    PRIMARY KEY (series_id, step)
);

-- Blob sequences (images, audio, graphs, run metadata): the bytes stay in the raw log; the index
-- keeps where to find the record and how many blobs it holds.
CREATE TABLE blob_sequence_point (
    series_id      bigint           NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    step           bigint           NOT NULL,
    wall_time      double precision NOT NULL,
    segment_id     bigint           NOT NULL,
    record_offset  bigint           NOT NULL,   -- frame offset in the raw segment
    record_length  integer          NOT NULL,   -- payload bytes
    blob_count     integer          NOT NULL,
    blob_lengths   integer[]        NOT NULL,
    PRIMARY KEY (series_id, step)
);

-- The raw log's catalog: one row per TFRecord segment in hot storage (archive adds tiers later).
CREATE TABLE raw_segment (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id         bigint      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    relative_path  text        NOT NULL UNIQUE,   -- under the hot root, TensorBoard logdir layout
    state          text        NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'SEALED')),
    size_bytes     bigint      NOT NULL DEFAULT 0,
    record_count   bigint      NOT NULL DEFAULT 0,
    crc32c         bigint,                         -- of the whole segment, set when sealed
    ingest_node    text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    sealed_at      timestamptz
);
CREATE INDEX raw_segment_run_idx ON raw_segment (run_id);

-- Upload progress per source event file: what is durable in the raw log and what is indexed.
CREATE TABLE source_file (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id            bigint      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    file_name         text        NOT NULL,
    committed_offset  bigint      NOT NULL DEFAULT 0,
    indexed_offset    bigint      NOT NULL DEFAULT 0,
    record_count      bigint      NOT NULL DEFAULT 0,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, file_name)
);

-- Nothing is dropped silently: what ingest could not use is recorded with its location.
CREATE TABLE ingest_problem (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id       bigint      REFERENCES run (id) ON DELETE CASCADE,
    file_name    text,
    file_offset  bigint,
    kind         text        NOT NULL,
    message      text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ingest_problem_run_idx ON ingest_problem (run_id);
