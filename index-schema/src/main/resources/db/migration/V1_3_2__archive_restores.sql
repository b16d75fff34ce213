-- Restores of archived segments whose storage class cannot be read at once (S3 GLACIER /
-- DEEP_ARCHIVE, the filesystem store's simulated cold tier). query-service starts one when a read
-- needs the segment, answers "restoring" with a status the API reports, and records it here so
-- every replica (and the status endpoint) sees the same answer.
CREATE TABLE archive_restore (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- One current restore per archived copy; asking again updates this row.
    object_id       bigint      NOT NULL UNIQUE REFERENCES archive_object (id) ON DELETE CASCADE,
    run_id          bigint      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    -- RESTORING: requested from the store, not readable yet. RESTORED: readable until
    -- readable_until. EXPIRED: the temporary copy is gone again. FAILED: the store refused
    -- (last_error says why).
    state           text        NOT NULL CHECK (state IN ('RESTORING', 'RESTORED', 'EXPIRED', 'FAILED')),
    requested_at    timestamptz NOT NULL DEFAULT now(),
    -- How long the readable copy was asked to stay.
    keep_for        interval    NOT NULL,
    readable_until  timestamptz,
    checked_at      timestamptz NOT NULL DEFAULT now(),
    last_error      text
);
CREATE INDEX archive_restore_run_idx ON archive_restore (run_id);
