--liquibase formatted sql

--changeset arbor:2026-12-06-01-add-tenant-to-streams-events-snapshots
--comment: Tenants (issue 16, docs/security.md): every stream, event and snapshot belongs to one tenant, and the same stream id in two tenants is two streams, so the tenant leads every key. Rows from before tenants belong to 'default'. The column has no default afterwards: a write that forgets the tenant fails. Event ids are unique per tenant (a conflict with another tenant's id would tell that it exists). Global positions stay store-wide: a tenant's log has gaps, read through (tenant, global_position). The tenant column is checked against the tenant name's form, [a-z0-9-]{1,63}: an empty tenant (what a connection reports for arbor.tenant once a transaction-local setting has ended) can never be written (the rollback drops the column and its check with it).
ALTER TABLE snapshots DROP CONSTRAINT snapshots_stream_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_stream_id_fkey;
ALTER TABLE streams ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE streams ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE streams ADD CONSTRAINT streams_tenant_check CHECK (tenant ~ '^[a-z0-9-]{1,63}$');
ALTER TABLE streams DROP CONSTRAINT streams_pkey;
ALTER TABLE streams ADD PRIMARY KEY (tenant, stream_id);
DROP INDEX streams_category;
CREATE INDEX streams_category ON streams (tenant, category, stream_id);
ALTER TABLE events ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE events ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE events ADD CONSTRAINT events_tenant_check CHECK (tenant ~ '^[a-z0-9-]{1,63}$');
ALTER TABLE events DROP CONSTRAINT events_stream_version_key;
ALTER TABLE events DROP CONSTRAINT events_event_id_key;
ALTER TABLE events ADD CONSTRAINT events_stream_version_key UNIQUE (tenant, stream_id, version);
ALTER TABLE events ADD CONSTRAINT events_event_id_key UNIQUE (tenant, event_id);
ALTER TABLE events ADD CONSTRAINT events_stream_id_fkey FOREIGN KEY (tenant, stream_id) REFERENCES streams (tenant, stream_id);
DROP INDEX events_category_position;
DROP INDEX events_type_position;
CREATE INDEX events_tenant_position ON events (tenant, global_position);
CREATE INDEX events_category_position ON events (tenant, category, global_position);
CREATE INDEX events_type_position ON events (tenant, type, global_position);
ALTER TABLE snapshots ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE snapshots ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE snapshots ADD CONSTRAINT snapshots_tenant_check CHECK (tenant ~ '^[a-z0-9-]{1,63}$');
ALTER TABLE snapshots DROP CONSTRAINT snapshots_pkey;
ALTER TABLE snapshots ADD PRIMARY KEY (tenant, stream_id, version);
ALTER TABLE snapshots ADD CONSTRAINT snapshots_stream_id_fkey FOREIGN KEY (tenant, stream_id) REFERENCES streams (tenant, stream_id);
--rollback DELETE FROM snapshots WHERE tenant <> 'default';
--rollback DELETE FROM events WHERE tenant <> 'default';
--rollback DELETE FROM streams WHERE tenant <> 'default';
--rollback ALTER TABLE snapshots DROP CONSTRAINT snapshots_stream_id_fkey;
--rollback ALTER TABLE events DROP CONSTRAINT events_stream_id_fkey;
--rollback ALTER TABLE snapshots DROP COLUMN tenant;
--rollback ALTER TABLE events DROP COLUMN tenant;
--rollback ALTER TABLE streams DROP COLUMN tenant;
--rollback ALTER TABLE streams ADD PRIMARY KEY (stream_id);
--rollback CREATE INDEX streams_category ON streams (category, stream_id);
--rollback ALTER TABLE events ADD CONSTRAINT events_stream_version_key UNIQUE (stream_id, version);
--rollback ALTER TABLE events ADD CONSTRAINT events_event_id_key UNIQUE (event_id);
--rollback ALTER TABLE events ADD CONSTRAINT events_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES streams (stream_id);
--rollback CREATE INDEX events_category_position ON events (category, global_position);
--rollback CREATE INDEX events_type_position ON events (type, global_position);
--rollback ALTER TABLE snapshots ADD PRIMARY KEY (stream_id, version);
--rollback ALTER TABLE snapshots ADD CONSTRAINT snapshots_stream_id_fkey FOREIGN KEY (stream_id) REFERENCES streams (stream_id);
