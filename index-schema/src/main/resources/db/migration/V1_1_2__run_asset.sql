-- Asset files of a run: plugin files written beside the event files, not inside them (above all
-- the profiler's plugins/profile/<session>/*.xplane.pb and *.trace.json.gz). Ingest stores the
-- bytes in the hot root in the TensorBoard layout (<run dir>/<path>); this table lists them, with
-- what archive needs to copy and verify them.
CREATE TABLE run_asset (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id         bigint      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    -- Relative to the run directory, '/'-separated, e.g. plugins/profile/2024_05_01_12_00_00/host.xplane.pb.
    path           text        NOT NULL CHECK (length(path) BETWEEN 1 AND 1024),
    -- Under the hot root: <project>/<experiment>/<run path>/<path> (the stored file once COMPLETE).
    relative_path  text        NOT NULL UNIQUE,
    -- As declared by the uploader and verified by ingest when the last byte arrived.
    size_bytes     bigint      NOT NULL CHECK (size_bytes >= 0),
    sha256         bytea       NOT NULL CHECK (length(sha256) = 32),
    -- Of the whole file, computed by ingest when it was stored; NULL while UPLOADING.
    crc32c         bigint      CHECK (crc32c BETWEEN 0 AND 4294967295),
    -- UPLOADING: bytes are arriving (kept in the run directory's .athanor.assets/ until complete).
    -- COMPLETE: size and SHA-256 verified, the file is at relative_path and never changes.
    state          text        NOT NULL CHECK (state IN ('UPLOADING', 'COMPLETE')),
    ingest_node    text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    completed_at   timestamptz,
    CHECK (state = 'UPLOADING' OR (crc32c IS NOT NULL AND completed_at IS NOT NULL)),
    UNIQUE (run_id, path)
);
