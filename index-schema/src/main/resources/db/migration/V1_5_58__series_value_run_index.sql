-- Runs listed by one metric's last value (query-service PgRunStore.list, issue 15): the page is
-- read from this index in the key's order (NaN reads as missing, as the listing says), by the tag's
-- hash, with the run filter tested per row, stopping after the page instead of joining the tag's
-- series to every matching run and sorting them all; run_id breaks ties like the listing does.
-- It replaces series_tag_hash_last_value_idx (V1_4_2), whose lookups by tag_hash it serves as well:
-- the same number of indexes on series, and the same columns indexed (last_value already was, so a
-- commit of a live run that moves last_value was never a HOT update and still is not).
CREATE INDEX series_tag_hash_value_run_idx ON series (tag_hash, NULLIF(last_value, 'NaN'::float8), run_id);
DROP INDEX series_tag_hash_last_value_idx;
