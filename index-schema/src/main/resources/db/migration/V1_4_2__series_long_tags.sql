-- Tags of any length TensorBoard writes (issue 14): a btree entry holds at most ~2,700 bytes, so
-- a unique key on the tag itself made a long tag fail the whole transaction of its run, for ever.
-- Series are now keyed by a 16-byte MD5 of the tag; the full tag stays in `tag`. A collision
-- (only by construction) is caught by the indexer, which records it as a problem and goes on.
ALTER TABLE series ADD COLUMN tag_hash bytea GENERATED ALWAYS AS (decode(md5(tag), 'hex')) STORED;

ALTER TABLE series DROP CONSTRAINT series_run_id_tag_key;
ALTER TABLE series ADD CONSTRAINT series_run_id_tag_hash_key UNIQUE (run_id, tag_hash);

DROP INDEX series_tag_last_value_idx;
CREATE INDEX series_tag_hash_last_value_idx ON series (tag_hash, last_value);
