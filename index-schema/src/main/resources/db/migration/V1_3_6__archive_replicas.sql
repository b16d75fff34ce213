-- Cross-region replication: copies of an experiment's archived objects (archive_object segments and
-- archive_asset files, as they are in the primary store) in other configured stores.

-- Which experiments an operator asked to replicate, to which named destination. The tiering worker
-- keeps every verified object of these experiments replicated, including ones archived later.
CREATE TABLE archive_replication (
    experiment_id  bigint      NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    destination    text        NOT NULL CHECK (length(destination) BETWEEN 1 AND 64),
    requested_by   text        NOT NULL,
    requested_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (experiment_id, destination)
);

-- One copy of one primary object in one destination. Exactly one of object_id / asset_id is set.
CREATE TABLE archive_replica (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    object_id     bigint      REFERENCES archive_object (id) ON DELETE CASCADE,
    asset_id      bigint      REFERENCES archive_asset (id) ON DELETE CASCADE,
    run_id        bigint      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    destination   text        NOT NULL CHECK (length(destination) BETWEEN 1 AND 64),
    uri           text        NOT NULL,
    object_key    text        NOT NULL,
    size_bytes    bigint      NOT NULL CHECK (size_bytes >= 0),
    crc32c        bigint      NOT NULL CHECK (crc32c BETWEEN 0 AND 4294967295),
    -- VERIFIED: the destination object's size and CRC32C match the catalog.
    -- FAILED: last_error says why; the next pass tries again.
    -- PENDING: asked to be checked again (re-verify); the next pass verifies it, copying only if it differs.
    state         text        NOT NULL CHECK (state IN ('PENDING', 'VERIFIED', 'FAILED')),
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text,
    verified_at   timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((object_id IS NULL) <> (asset_id IS NULL)),
    UNIQUE (object_id, destination),
    UNIQUE (asset_id, destination),
    UNIQUE (destination, object_key)
);
CREATE INDEX archive_replica_run_idx ON archive_replica (run_id);
CREATE INDEX archive_replica_state_idx ON archive_replica (destination, state);
