-- Wall blocks in a column of their own (issue 15, compare reads). Since 2026-12-06 sub_blocks held
-- the step blocks and the wall blocks in one value (index-writer's SubBlocks, version 2), about
-- 2 KB + 5 KB a 1000-point chunk, compressed in the row: a chart by step detoasted and
-- decompressed the wall blocks it never used. From now on sub_blocks holds the step blocks alone
-- (version 1 again) and wall_blocks the wall blocks (its own version byte; no block in it when the
-- chunk's wall times could not be cut; NULL: never computed, a chunk written before this migration).
-- Each chart reads only its column.
--
-- Storage, by measurement (bench's SummaryStorageBench, 2026-12-07, 3,000 chunks of 1000 points,
-- embedded PostgreSQL 17, median of 31 scans of every row; the build has no lz4, so pglz or nothing):
--   layout                                 step scan  wall scan  heap     sub / wall bytes stored
--   both in sub_blocks, MAIN (2026-12-06)     62 ms      80 ms   12.0 MB  2889 (raw 4736)
--   sub_blocks MAIN, wall_blocks MAIN         35 ms      59 ms   12.0 MB  1507 / 1862 (pglz)
--   sub_blocks MAIN, wall_blocks EXTERNAL     22 ms      37 ms    5.4 MB  1507 / 2811
--   sub_blocks PLAIN, wall_blocks MAIN        2.6 ms     77 ms   12.0 MB  1930 / 1862 (pglz)
--   sub_blocks PLAIN, wall_blocks EXTERNAL    1.3 ms     36 ms    8.0 MB  1930 / 2811
-- pglz decompression is what a summary read costs (about 10 us a value); it saves only 20-35 % on
-- these doubles. So: sub_blocks PLAIN, kept in the row uncompressed (at most 6 + 33 x 60 = 1986
-- bytes: the row always fits a page; MAIN let the toaster compress it, since the row is just over
-- the 2 KB toast target); wall_blocks EXTERNAL, out of line uncompressed (up to 64 x 124 bytes: in
-- the row it could overflow the page, and compressed it costs more to read than its TOAST fetch),
-- so a step chart's rows carry 18 bytes of it. Rows written earlier keep their compressed
-- sub_blocks until rewritten (the backfill below rewrites every chunk without wall_blocks).
ALTER TABLE scalar_chunk ADD COLUMN wall_blocks bytea;
ALTER TABLE scalar_chunk
    ALTER COLUMN sub_blocks SET STORAGE PLAIN,
    ALTER COLUMN wall_blocks SET STORAGE EXTERNAL;

-- query-service's backfill brings old chunks to this layout: version 2 sub_blocks split into the
-- two columns (no point read), chunks without summaries or with version 1 and no wall_blocks
-- summarized from their points. This pass does all that sub_blocks_v2 did, so that pass's row goes:
-- a replica still running the old code then finds no pass and writes no more version 2 values.
DELETE FROM scalar_chunk_backfill WHERE name = 'sub_blocks_v2';
INSERT INTO scalar_chunk_backfill (name, series_id, first_step)
VALUES ('wall_blocks_column', -9223372036854775808, -9223372036854775808);
