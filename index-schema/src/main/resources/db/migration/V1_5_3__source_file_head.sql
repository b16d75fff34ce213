-- The fingerprint of each source event file (tfevents' FileHead: CRC32C of its first record's
-- payload), recorded with the first commit that holds that record. GetCommittedOffsets returns it,
-- and the uploader compares it with the file on disk before resuming from the committed offset: a
-- file rewritten in place under the same name would otherwise have its new tail appended to the
-- old file's head. NULL for files stored before it was kept (nothing to compare).
ALTER TABLE source_file ADD COLUMN head_crc integer;
