-- The archive catalog: every copy of a raw segment in object storage, and whether the hot copy is
-- still on its ingest volume. Readers look here (never at the bucket) to find a segment's bytes.

-- Set by archive-service once the segment's bytes are verified in object storage and the hot
-- file is about to be removed; NULL while the hot file is the copy to read.
ALTER TABLE raw_segment ADD COLUMN hot_deleted_at timestamptz;

CREATE TABLE archive_object (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    segment_id       bigint      NOT NULL REFERENCES raw_segment (id) ON DELETE CASCADE,
    run_id           bigint      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    -- Which configured store holds it ('primary' today; replicas later add their own rows).
    store            text        NOT NULL CHECK (length(store) BETWEEN 1 AND 64),
    tier             text        NOT NULL CHECK (tier IN ('WARM', 'COLD')),
    -- Where the copy lives; NULL only for REFUSED rows (an unsafe path has no key).
    uri              text,                          -- s3://bucket/key, gs://bucket/key, file:///…
    object_key       text,                          -- <prefix>/<project>/<experiment>/<run>/events.out.tfevents…
    -- Of the hot file when the copy was made; NULL only for REFUSED rows.
    size_bytes       bigint      CHECK (size_bytes >= 0),
    crc32c           bigint      CHECK (crc32c BETWEEN 0 AND 4294967295),
    -- UPLOADING: recorded before the first byte is sent, so no object exists unrecorded.
    -- VERIFIED: size and CRC32C read back from the store match the hot file.
    -- FAILED: the last attempt failed (last_error says why); retried at next_attempt_at.
    -- REFUSED: the segment cannot be archived as it is (unsafe path, hot file differs from the
    --          catalog); never retried automatically.
    state            text        NOT NULL CHECK (state IN ('UPLOADING', 'VERIFIED', 'FAILED', 'REFUSED')),
    attempts         integer     NOT NULL DEFAULT 0,
    last_error       text,
    next_attempt_at  timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    verified_at      timestamptz,
    tiered_at        timestamptz,                   -- when it last changed tier
    CHECK (state = 'REFUSED' OR (uri IS NOT NULL AND object_key IS NOT NULL AND size_bytes IS NOT NULL
                                 AND crc32c IS NOT NULL)),
    UNIQUE (segment_id, store),
    UNIQUE (store, object_key)
);
CREATE INDEX archive_object_state_idx ON archive_object (store, state, next_attempt_at);
CREATE INDEX archive_object_run_idx ON archive_object (run_id);
