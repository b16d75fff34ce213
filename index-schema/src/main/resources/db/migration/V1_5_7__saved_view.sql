-- Named views of an experiment, saved by its writers and opened by anyone who may read it (the
-- web UI's /experiments/{id}?view={viewId} URL): what the scalars page showed — run selection and
-- filter, grouping, pinned charts, smoothing, axes. The state is the web UI's JSON object, kept as
-- given (query-service checks only that it is an object of bounded size). Written and read by
-- query-service only.
CREATE TABLE saved_view (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    experiment_id bigint      NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
    state         jsonb       NOT NULL CHECK (jsonb_typeof(state) = 'object'),
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text        NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (experiment_id, name)
);
