--liquibase formatted sql

--changeset arbor:2026-12-08-01-add-stream-lifecycle
--comment: Stream lifecycle (issue 19, docs/lifecycle.md). A stream's retention rules live on its row: truncate_before (versions below it are hidden; a delete sets it to the head + 1), max_count (only the last n versions are visible), max_age_seconds (an event recorded longer ago is hidden), custom_metadata (the writer's own JSON object), and deleted ('soft': reads answer 404 until the next append; 'hard': a tombstone, 410 forever; the row is never removed, so the id is never reused). has_lifecycle is generated, so it can never disagree with the rules; the partial index keeps the streams with rules small to probe. visible_events is the one definition of which stored events a read may return: every read of events goes through it (EventEntity is mapped on it; native reads name it), so a rule hides events from every read path in the transaction that sets it. security_invoker makes the view apply the reader's row-level security, not its owner's. Scavenging (2026-12-08-10) then removes the hidden rows; stream_chain_anchors keeps, per stream, the version and hash of the last event it removed, so a truncated stream's hash chain still verifies from the first version that remains.
ALTER TABLE streams ADD COLUMN truncate_before bigint CONSTRAINT streams_truncate_before_check CHECK (truncate_before >= 1);
ALTER TABLE streams ADD COLUMN max_count bigint CONSTRAINT streams_max_count_check CHECK (max_count >= 1);
ALTER TABLE streams ADD COLUMN max_age_seconds bigint CONSTRAINT streams_max_age_check CHECK (max_age_seconds >= 1);
ALTER TABLE streams ADD COLUMN custom_metadata jsonb;
ALTER TABLE streams ADD COLUMN deleted text CONSTRAINT streams_deleted_check CHECK (deleted IN ('soft', 'hard'));
ALTER TABLE streams ADD COLUMN has_lifecycle boolean GENERATED ALWAYS AS (truncate_before IS NOT NULL OR max_count IS NOT NULL OR max_age_seconds IS NOT NULL OR deleted IS NOT NULL) STORED;
CREATE INDEX streams_with_lifecycle ON streams (tenant, stream_id) WHERE has_lifecycle;
CREATE VIEW visible_events WITH (security_invoker = true) AS
SELECT e.* FROM events e
WHERE NOT EXISTS (
    SELECT 1 FROM streams s
    WHERE s.has_lifecycle AND s.tenant = e.tenant AND s.stream_id = e.stream_id
      AND (e.version < s.truncate_before
           OR e.version <= s.version - s.max_count
           OR e.recorded_at < now() - make_interval(secs => s.max_age_seconds)));
GRANT SELECT ON visible_events TO arbor_app;
CREATE TABLE stream_chain_anchors (
    tenant    text         NOT NULL CONSTRAINT stream_chain_anchors_tenant_check CHECK (tenant ~ '^[a-z0-9-]{1,63}$'),
    stream_id varchar(200) NOT NULL,
    version   bigint       NOT NULL CHECK (version >= 1),
    hash      bytea        CONSTRAINT stream_chain_anchors_hash_is_sha256 CHECK (octet_length(hash) = 32),
    CONSTRAINT stream_chain_anchors_pkey PRIMARY KEY (tenant, stream_id)
);
ALTER TABLE stream_chain_anchors ENABLE ROW LEVEL SECURITY;
ALTER TABLE stream_chain_anchors FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON stream_chain_anchors USING (tenant = nullif(current_setting('arbor.tenant', true), '')) WITH CHECK (tenant = nullif(current_setting('arbor.tenant', true), ''));
CREATE POLICY store_scope_reads ON stream_chain_anchors FOR SELECT USING (current_setting('arbor.scope', true) = 'store');
GRANT SELECT, INSERT, UPDATE, DELETE ON stream_chain_anchors TO arbor_app;
--rollback REVOKE SELECT, INSERT, UPDATE, DELETE ON stream_chain_anchors FROM arbor_app;
--rollback DROP TABLE stream_chain_anchors;
--rollback DROP VIEW visible_events;
--rollback DROP INDEX streams_with_lifecycle;
--rollback ALTER TABLE streams DROP COLUMN has_lifecycle;
--rollback ALTER TABLE streams DROP COLUMN deleted;
--rollback ALTER TABLE streams DROP COLUMN custom_metadata;
--rollback ALTER TABLE streams DROP COLUMN max_age_seconds;
--rollback ALTER TABLE streams DROP COLUMN max_count;
--rollback ALTER TABLE streams DROP COLUMN truncate_before;
