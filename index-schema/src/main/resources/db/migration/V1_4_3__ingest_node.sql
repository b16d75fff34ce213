-- The ingest replicas and where the rest of the cluster reaches them: query-service reads a live
-- segment from the replica named in raw_segment.ingest_node at this address. Each replica
-- upserts its row at start and with every lease renewal, so seen_at tells a live replica from a
-- departed one.
CREATE TABLE ingest_node (
    name      text        PRIMARY KEY,   -- raw_segment.ingest_node, run_lease.owner
    address   text        NOT NULL,      -- host:port of its gRPC
    seen_at   timestamptz NOT NULL DEFAULT now()
);
