-- A run's history of status changes: FinishRun ending it (FINISHED, FAILED) and new data arriving
-- after it ended (REOPENED: resumed training; the run is RUNNING again). Written by ingest, read
-- over REST (GET /api/v1/runs/{id}/events) beside the run's located ingest problems.
CREATE TABLE run_event (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id    bigint      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    at        timestamptz NOT NULL DEFAULT now(),
    kind      text        NOT NULL CHECK (kind IN ('FINISHED', 'FAILED', 'REOPENED')),
    -- A sentence: what caused it (the file whose data reopened the run, who finished it).
    detail    text        NOT NULL DEFAULT ''
);
CREATE INDEX run_event_run_idx ON run_event (run_id, at);
