-- Time-limited signed links to an experiment's archived objects, as handed out: who asked, for
-- what, until when. The links themselves are not stored (they are bearer secrets).
CREATE TABLE archive_share (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project       text        NOT NULL,
    experiment    text        NOT NULL,
    store         text        NOT NULL,
    object_count  integer     NOT NULL,
    valid_until   timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text        NOT NULL
);
CREATE INDEX archive_share_project_idx ON archive_share (project, created_at);
