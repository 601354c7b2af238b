--liquibase formatted sql

--changeset arbor:2026-12-06-02-add-tenant-to-schema-registry
--comment: Each tenant has its own schema registry (issue 16): event types, schemas and upcasters are keyed by tenant first, and each tenant has its own generation row in schema_registry, created by its first registry change (a tenant without one has generation 0, an empty registry). The registry that existed belongs to 'default'. The tenant column is checked against the tenant name's form, [a-z0-9-]{1,63}: an empty tenant (what a connection reports for arbor.tenant once a transaction-local setting has ended) can never be written (the rollback drops the column and its check with it).
ALTER TABLE event_upcasters DROP CONSTRAINT event_upcasters_type_from_version_fkey;
ALTER TABLE event_schemas DROP CONSTRAINT event_schemas_type_fkey;
ALTER TABLE event_types ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE event_types ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE event_types ADD CONSTRAINT event_types_tenant_check CHECK (tenant ~ '^[a-z0-9-]{1,63}$');
ALTER TABLE event_types DROP CONSTRAINT event_types_pkey;
ALTER TABLE event_types ADD PRIMARY KEY (tenant, type);
ALTER TABLE event_schemas ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE event_schemas ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE event_schemas ADD CONSTRAINT event_schemas_tenant_check CHECK (tenant ~ '^[a-z0-9-]{1,63}$');
ALTER TABLE event_schemas DROP CONSTRAINT event_schemas_pkey;
ALTER TABLE event_schemas ADD PRIMARY KEY (tenant, type, version);
ALTER TABLE event_schemas ADD CONSTRAINT event_schemas_type_fkey FOREIGN KEY (tenant, type) REFERENCES event_types (tenant, type);
ALTER TABLE event_upcasters ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE event_upcasters ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE event_upcasters ADD CONSTRAINT event_upcasters_tenant_check CHECK (tenant ~ '^[a-z0-9-]{1,63}$');
ALTER TABLE event_upcasters DROP CONSTRAINT event_upcasters_pkey;
ALTER TABLE event_upcasters ADD PRIMARY KEY (tenant, type, from_version);
ALTER TABLE event_upcasters ADD CONSTRAINT event_upcasters_type_from_version_fkey FOREIGN KEY (tenant, type, from_version) REFERENCES event_schemas (tenant, type, version);
ALTER TABLE schema_registry ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE schema_registry ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE schema_registry ADD CONSTRAINT schema_registry_tenant_check CHECK (tenant ~ '^[a-z0-9-]{1,63}$');
ALTER TABLE schema_registry DROP CONSTRAINT schema_registry_pkey;
ALTER TABLE schema_registry ADD PRIMARY KEY (tenant);
--rollback DELETE FROM event_upcasters WHERE tenant <> 'default';
--rollback DELETE FROM event_schemas WHERE tenant <> 'default';
--rollback DELETE FROM event_types WHERE tenant <> 'default';
--rollback DELETE FROM schema_registry WHERE tenant <> 'default';
--rollback ALTER TABLE event_upcasters DROP CONSTRAINT event_upcasters_type_from_version_fkey;
--rollback ALTER TABLE event_schemas DROP CONSTRAINT event_schemas_type_fkey;
--rollback ALTER TABLE schema_registry DROP COLUMN tenant;
--rollback ALTER TABLE event_upcasters DROP COLUMN tenant;
--rollback ALTER TABLE event_schemas DROP COLUMN tenant;
--rollback ALTER TABLE event_types DROP COLUMN tenant;
--rollback ALTER TABLE schema_registry ADD PRIMARY KEY (id);
--rollback ALTER TABLE event_types ADD PRIMARY KEY (type);
--rollback ALTER TABLE event_schemas ADD PRIMARY KEY (type, version);
--rollback ALTER TABLE event_schemas ADD CONSTRAINT event_schemas_type_fkey FOREIGN KEY (type) REFERENCES event_types (type);
--rollback ALTER TABLE event_upcasters ADD PRIMARY KEY (type, from_version);
--rollback ALTER TABLE event_upcasters ADD CONSTRAINT event_upcasters_type_from_version_fkey FOREIGN KEY (type, from_version) REFERENCES event_schemas (type, version);
