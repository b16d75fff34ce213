-- The scrub (issue 19): archive-service reads archived and replicated objects again on a schedule
-- and compares size and CRC32C with the catalog. Damage it finds is recorded here, and the damaged
-- copy stops counting as VERIFIED, so nothing (hot removal, reads, replication) trusts it.

-- When the object was last read back by the scrub (NULL: never since it was verified). The scrub
-- takes the oldest of coalesce(scrubbed_at, verified_at) first, so a restart continues in order.
ALTER TABLE archive_object ADD COLUMN scrubbed_at timestamptz;
ALTER TABLE archive_asset ADD COLUMN scrubbed_at timestamptz;
ALTER TABLE archive_replica ADD COLUMN scrubbed_at timestamptz;

-- One finding: a copy that no longer holds the bytes the catalog recorded. Exactly one of
-- object_id / asset_id / replica_id is set. Open while repaired_at is NULL; repaired once the copy's
-- row is VERIFIED again (re-copied from the hot file or the primary, and verified).
CREATE TABLE archive_damage (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             text        NOT NULL CHECK (kind IN ('SEGMENT', 'ASSET', 'REPLICA')),
    object_id        bigint      REFERENCES archive_object (id) ON DELETE CASCADE,
    asset_id         bigint      REFERENCES archive_asset (id) ON DELETE CASCADE,
    replica_id       bigint      REFERENCES archive_replica (id) ON DELETE CASCADE,
    run_id           bigint      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    -- The store name (archive_object.store) or the replication destination holding the copy.
    store            text        NOT NULL CHECK (length(store) BETWEEN 1 AND 64),
    uri              text        NOT NULL,
    object_key       text        NOT NULL,
    expected_size    bigint      NOT NULL,
    expected_crc32c  bigint      NOT NULL,
    -- MISSING: the store no longer has the object. MISMATCH: its size or CRC32C differs (detail says which).
    damage           text        NOT NULL CHECK (damage IN ('MISSING', 'MISMATCH')),
    detail           text        NOT NULL,
    -- What the service does about it: RECOPY_FROM_HOT (the hot file is still there), RECOPY_FROM_PRIMARY
    -- (a replica), NONE (the hot file is gone: a person restores the object, e.g. from a replica).
    repair           text        NOT NULL CHECK (repair IN ('RECOPY_FROM_HOT', 'RECOPY_FROM_PRIMARY', 'NONE')),
    found_by         text        NOT NULL,          -- the worker scope: <store>/<ingest node or *>
    found_at         timestamptz NOT NULL,
    repaired_at      timestamptz,
    CHECK (num_nonnulls(object_id, asset_id, replica_id) = 1)
);
CREATE INDEX archive_damage_open_idx ON archive_damage (found_at) WHERE repaired_at IS NULL;
CREATE INDEX archive_damage_run_idx ON archive_damage (run_id);
