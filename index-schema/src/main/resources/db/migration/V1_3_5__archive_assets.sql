-- Copies of run asset files (run_asset: profiler traces under plugins/profile/…) in object
-- storage, beside the run's archived segments in the same TensorBoard layout. The hot copy is kept
-- (readers still serve assets from the hot root); the archive copy is what survives the volume.
CREATE TABLE archive_asset (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    asset_id      bigint      NOT NULL REFERENCES run_asset (id) ON DELETE CASCADE,
    run_id        bigint      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    store         text        NOT NULL CHECK (length(store) BETWEEN 1 AND 64),
    uri           text        NOT NULL,
    object_key    text        NOT NULL,
    size_bytes    bigint      NOT NULL CHECK (size_bytes >= 0),
    crc32c        bigint      NOT NULL CHECK (crc32c BETWEEN 0 AND 4294967295),
    -- VERIFIED: size and CRC32C of the stored object match run_asset. FAILED: last_error says why;
    -- the next pass tries again.
    state         text        NOT NULL CHECK (state IN ('VERIFIED', 'FAILED')),
    attempts      integer     NOT NULL DEFAULT 1,
    last_error    text,
    verified_at   timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (asset_id, store),
    UNIQUE (store, object_key)
);
CREATE INDEX archive_asset_run_idx ON archive_asset (run_id);
