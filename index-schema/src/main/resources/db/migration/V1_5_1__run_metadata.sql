-- Run metadata that is not in event files: written by people over REST (PATCH /api/v1/runs/{id}),
-- never by ingest. These columns are the curator's, not the index's: reindex (ingest-service's
-- Reindexer.clear) must never reset them — it deletes series rows and resets only hparams,
-- hparams_config, session_group, session_status, started_at and last_event_at — so a rebuilt
-- index keeps its display names, labels, notes, colors and pins.
ALTER TABLE run
    ADD COLUMN display_name text    CHECK (length(display_name) BETWEEN 1 AND 256),
    ADD COLUMN labels       text[]  NOT NULL DEFAULT '{}' CHECK (cardinality(labels) <= 32),
    ADD COLUMN note         text    CHECK (length(note) <= 65536),
    ADD COLUMN color        text    CHECK (color ~ '^#[0-9a-f]{6}$'),
    ADD COLUMN pinned       boolean NOT NULL DEFAULT false,
    ADD COLUMN meta_updated_at timestamptz;

-- `label = 'baseline'` in the filter language is `? = ANY(labels)`.
CREATE INDEX run_labels_idx ON run USING gin (labels);
