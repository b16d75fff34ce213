-- The commit ledger (docs/architecture.md, "Handover"): what each owner of a run made durable,
-- per source file, under each fencing epoch. An owner records its group commit here before it
-- acknowledges anything, and only while run_lease still names it at that epoch, so:
--   * any replica learns where a run continues (max committed_offset per file over epochs) when
--     it takes the run over, with or without the previous owner alive;
--   * a replica recovering its volume cuts its journal back to what its epochs recorded, so a
--     batch that was fsynced but never acknowledged cannot appear twice after a takeover.
-- source_file.committed_offset is kept equal to the maximum for readers that already use it.
CREATE TABLE run_commit (
    run_id            bigint      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    epoch             bigint      NOT NULL,
    file_name         text        NOT NULL,
    committed_offset  bigint      NOT NULL CHECK (committed_offset >= 0),
    owner             text        NOT NULL,   -- ingest node that wrote these bytes (run_lease.owner)
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, epoch, file_name)
);
