-- Where query-service's backfill of scalar_chunk.sub_blocks stands (issue 15, compare reads):
-- chunks written before V1_5_51 have no summaries, and chunks written before version 2 of the
-- format (index-writer's SubBlocks) have no wall blocks, so their charts read every point. The
-- table may hold hundreds of millions of points, so this is not a migration that rewrites them
-- (it would hold up the start of every replica): one replica at a time (this row locked, SKIP
-- LOCKED) summarizes chunks again in small batches in the background, each batch committed with
-- the cursor it reached, so a restart continues where the last batch ended. One row per pass,
-- named after the format version it brings chunks up to; finished_at set once the pass reached
-- the last chunk.
CREATE TABLE scalar_chunk_backfill (
    name             text        PRIMARY KEY,
    -- the last chunk key the pass has looked at: it continues after (series_id, first_step)
    series_id        bigint      NOT NULL,
    first_step       bigint      NOT NULL,
    chunks_seen      bigint      NOT NULL DEFAULT 0,
    chunks_rewritten bigint      NOT NULL DEFAULT 0,
    started_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz
);

INSERT INTO scalar_chunk_backfill (name, series_id, first_step)
VALUES ('sub_blocks_v2', -9223372036854775808, -9223372036854775808);
