--liquibase formatted sql

--changeset arbor:2026-12-08-10-create-scavenge-jobs
--comment: Scavenging (issue 19, docs/lifecycle.md): a job removes one tenant's hidden events (changeset 2026-12-08-01, the view visible_events) in short batches. Its row is the job's whole state, so any instance can resume it: cursor_stream is the last stream it finished (streams are walked in stream-id order; a stream interrupted half-way is walked again, which finds only what is left), and the counters are updated by each batch's transaction together with the batch's deletes, so they count exactly what committed. owner and heartbeat_at say which instance runs it and when it last committed a batch: a running job whose heartbeat is stale is claimed by another instance (UPDATE … WHERE heartbeat_at < …). The partial unique index allows one unfinished (queued or running) job per tenant: a second request finds it (INSERT … ON CONFLICT DO NOTHING). Row-level security and the grants as for the other tenant tables (2026-12-06-05); store_scope_reads lets the scheduler see every tenant's unfinished jobs.
CREATE TABLE scavenge_jobs (
    job_id            uuid        PRIMARY KEY,
    tenant            text        NOT NULL CONSTRAINT scavenge_jobs_tenant_check CHECK (tenant ~ '^[a-z0-9-]{1,63}$'),
    state             text        NOT NULL CONSTRAINT scavenge_jobs_state_check CHECK (state IN ('queued', 'running', 'done', 'failed')),
    requested_at      timestamptz NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz,
    owner             text,
    heartbeat_at      timestamptz,
    cursor_stream     varchar(200),
    streams_scanned   bigint      NOT NULL DEFAULT 0,
    events_removed    bigint      NOT NULL DEFAULT 0,
    snapshots_removed bigint      NOT NULL DEFAULT 0,
    batches           bigint      NOT NULL DEFAULT 0,
    failure           text
);
CREATE UNIQUE INDEX scavenge_jobs_one_unfinished ON scavenge_jobs (tenant) WHERE state IN ('queued', 'running');
CREATE INDEX scavenge_jobs_recent ON scavenge_jobs (tenant, requested_at DESC);
ALTER TABLE scavenge_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE scavenge_jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON scavenge_jobs USING (tenant = nullif(current_setting('arbor.tenant', true), '')) WITH CHECK (tenant = nullif(current_setting('arbor.tenant', true), ''));
CREATE POLICY store_scope_reads ON scavenge_jobs FOR SELECT USING (current_setting('arbor.scope', true) = 'store');
GRANT SELECT, INSERT, UPDATE, DELETE ON scavenge_jobs TO arbor_app;
--rollback REVOKE SELECT, INSERT, UPDATE, DELETE ON scavenge_jobs FROM arbor_app;
--rollback DROP TABLE scavenge_jobs;
