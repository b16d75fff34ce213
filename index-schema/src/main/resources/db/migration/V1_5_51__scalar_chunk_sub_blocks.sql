-- Per-chunk sub-block summaries (issue 15, compare reads): a chart column that holds whole blocks
-- of a chunk folds their first/last/min/max points and sums instead of reading every point, so a
-- 100-run chart stops moving a million points out of TOAST. One bytea of about 2 KB per
-- 1000-point chunk (format: index-writer's SubBlocks), kept in the row (MAIN: inline, compressed
-- only if that pays) so that reading it never touches the point arrays. NULL on chunks written
-- before this migration (and on chunks whose span does not fit the format): those are read point
-- by point, as before.
ALTER TABLE scalar_chunk ADD COLUMN sub_blocks bytea;
ALTER TABLE scalar_chunk ALTER COLUMN sub_blocks SET STORAGE MAIN;
