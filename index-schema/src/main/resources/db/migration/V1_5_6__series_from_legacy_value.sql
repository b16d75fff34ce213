-- Whether a series' first value was a legacy kind (simple_value, histo, image, audio), whose
-- metadata the codec synthesized (tfevents' LegacySummaries). The stored metadata keeps the display
-- name and description the writer attached, which REST shows; TensorBoard's data server ignores
-- them for such series, so the data-provider port (TensorBoard on Athanor) leaves them out for
-- these rows. Written by ingest when it creates the series; false for series created before this
-- column existed until their run is reindexed.
ALTER TABLE series ADD COLUMN from_legacy_value boolean NOT NULL DEFAULT false;
