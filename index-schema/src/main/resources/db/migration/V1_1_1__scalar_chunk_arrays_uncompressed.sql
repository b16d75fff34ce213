-- Scalar chunk arrays (about 24 KB per 1000-point chunk) are always stored out of line. With the
-- default EXTENDED storage PostgreSQL first tries to pglz-compress them, which costs far more CPU
-- than the write itself and gains little on float data: ingest measured ~5 MB/s of chunk rows with
-- compression. EXTERNAL keeps them out of line, uncompressed.
ALTER TABLE scalar_chunk
    ALTER COLUMN steps SET STORAGE EXTERNAL,
    ALTER COLUMN wall_times SET STORAGE EXTERNAL,
    ALTER COLUMN vals SET STORAGE EXTERNAL;
