-- Which ingest replica owns each run's raw log (docs/architecture.md, "One owner per run"). A row
-- is created by the first acquisition and never deleted while the run exists, so the fencing
-- epoch only grows: every change of holder, or a holder's restart, takes epoch + 1, and a replica
-- appends only under the epoch it holds. Times come from PostgreSQL's clock, one clock for all.
CREATE TABLE run_lease (
    run_id         bigint      PRIMARY KEY REFERENCES run (id) ON DELETE CASCADE,
    owner          text        NOT NULL,   -- ingest node name, as in raw_segment.ingest_node
    owner_address  text        NOT NULL,   -- host:port of the owner's internal gRPC (forwarding, hot reads)
    epoch          bigint      NOT NULL CHECK (epoch > 0),
    expires_at     timestamptz NOT NULL,
    acquired_at    timestamptz NOT NULL DEFAULT now(),
    renewed_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX run_lease_owner_idx ON run_lease (owner);
