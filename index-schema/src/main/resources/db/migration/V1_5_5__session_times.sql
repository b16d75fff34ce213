-- What an hparams session said about itself, beside the values ingest already folds into the run
-- (hparams, session_group, session_status): the start time of _hparams_/session_start_info, its
-- model and monitor URIs, and the end time of _hparams_/session_end_info, in seconds as written.
-- TensorBoard's hparams plugin shows these as the session's times; they can differ from the run's
-- first and last events. Written by ingest's indexer, reset by reindex like the other hparams
-- columns; NULL for runs indexed before this column existed until they are reindexed.
ALTER TABLE run
    ADD COLUMN session_start_secs  double precision,
    ADD COLUMN session_end_secs    double precision,
    ADD COLUMN session_model_uri   text,
    ADD COLUMN session_monitor_url text;
