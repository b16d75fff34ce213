-- Alerts on live runs (docs/alerts.md): standing rules evaluated as the index changes, their state
-- per (rule, run), the firing history and an outbox of webhook deliveries. Written and read by
-- query-service; ingest only stamps the runs it changes (the trigger below), without knowing why.

-- What changed, for the evaluator: every insert or update of a run (the indexer's per-transaction
-- roll-up of wall times, a FinishRun, a REOPEN, metadata edits) stamps the run with the id of the
-- writing transaction and wakes listeners. The evaluator re-reads runs whose change_xid is at or
-- past the oldest transaction still open at its previous pass (pg_snapshot_xmin), so a commit that
-- lands out of order is never skipped; rows are stamped from this migration on (older ones: NULL).
ALTER TABLE run ADD COLUMN change_xid bigint;
ALTER TABLE run ADD COLUMN changed_at timestamptz;
CREATE INDEX run_change_xid_idx ON run (change_xid) WHERE change_xid IS NOT NULL;

CREATE FUNCTION run_mark_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_xid := pg_current_xact_id()::text::bigint;
    NEW.changed_at := clock_timestamp();
    -- Delivered at commit, once per distinct payload per transaction.
    PERFORM pg_notify('athanor_indexed', NEW.id::text);
    RETURN NEW;
END
$$;
CREATE TRIGGER run_changed BEFORE INSERT OR UPDATE ON run FOR EACH ROW EXECUTE FUNCTION run_mark_changed();

-- A rule of a project, optionally narrowed to one experiment and a run filter. condition is the
-- text as given (parsed again on every evaluation, so the grammar owns its meaning). The webhook
-- secret is kept to sign deliveries and is never returned by the API.
CREATE TABLE alert_rule (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id      bigint      NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    experiment_id   bigint      REFERENCES experiment (id) ON DELETE CASCADE,
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
    run_filter      text,
    condition       text        NOT NULL CHECK (length(condition) BETWEEN 1 AND 10000),
    -- STALL rules are evaluated on a schedule over running runs; the others as runs change.
    kind            text        NOT NULL CHECK (kind IN ('CHANGE', 'STALL')),
    webhook_url     text        NOT NULL CHECK (length(webhook_url) BETWEEN 1 AND 2048),
    webhook_secret  text,
    webhook_format  text        NOT NULL CHECK (webhook_format IN ('json', 'slack')),
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      text        NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, name)
);
CREATE INDEX alert_rule_experiment_idx ON alert_rule (experiment_id);

-- The state of a rule for one run. A transition is a conditional write (INSERT … ON CONFLICT DO
-- UPDATE … WHERE state differs, UPDATE … WHERE state = 'FIRING'), so two evaluators — replicas,
-- or one restarted — cannot both make it: only the one whose write changed the row records the
-- event and its delivery, in the same transaction.
CREATE TABLE alert_state (
    rule_id     bigint           NOT NULL REFERENCES alert_rule (id) ON DELETE CASCADE,
    run_id      bigint           NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    state       text             NOT NULL CHECK (state IN ('FIRING', 'RESOLVED')),
    value       double precision,
    step        bigint,
    observed    text,            -- what was seen, as a sentence ("metrics.loss is NaN at step 42")
    since       timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (rule_id, run_id)
);
CREATE INDEX alert_state_firing_idx ON alert_state (run_id) WHERE state = 'FIRING';

-- The firing history: every transition, and the sample notifications of POST …/test (run_id NULL).
CREATE TABLE alert_event (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id   bigint           NOT NULL REFERENCES alert_rule (id) ON DELETE CASCADE,
    run_id    bigint           REFERENCES run (id) ON DELETE SET NULL,
    kind      text             NOT NULL CHECK (kind IN ('FIRING', 'RESOLVED', 'TEST')),
    value     double precision,
    step      bigint,
    observed  text,
    at        timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX alert_event_rule_idx ON alert_event (rule_id, id);

-- The outbox: one delivery per event, with the exact body to send (retries send the same bytes;
-- the signature is made at each attempt over its timestamp and this body). Any query-service
-- replica claims due rows (FOR UPDATE SKIP LOCKED, then a lease), so a restart between the firing
-- and the delivery still delivers it; the receiver sees the same X-Athanor-Delivery id on a retry.
CREATE TABLE alert_delivery (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id         bigint      NOT NULL REFERENCES alert_event (id) ON DELETE CASCADE,
    rule_id          bigint      NOT NULL REFERENCES alert_rule (id) ON DELETE CASCADE,
    state            text        NOT NULL CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED')),
    body             text        NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    lease_until      timestamptz,
    last_status      integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz
);
CREATE INDEX alert_delivery_due_idx ON alert_delivery (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX alert_delivery_event_idx ON alert_delivery (event_id);
CREATE INDEX alert_delivery_rule_idx ON alert_delivery (rule_id, id);

-- How far the change evaluator has read: the pg_snapshot_xmin of its last committed pass.
CREATE TABLE alert_cursor (
    name   text   PRIMARY KEY,
    from_xid bigint NOT NULL
);
