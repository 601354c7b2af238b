--liquibase formatted sql

--changeset arbor:2026-12-06-03-add-tenant-to-consumer-groups
--comment: Consumer groups belong to a tenant (issue 16): the same group name in two tenants is two groups, so the tenant leads the key of the group and of each of its rows. Existing groups belong to 'default'.
ALTER TABLE consumer_group_events DROP CONSTRAINT consumer_group_events_group_name_fkey;
ALTER TABLE consumer_group_parked DROP CONSTRAINT consumer_group_parked_group_name_fkey;
ALTER TABLE consumer_group_consumers DROP CONSTRAINT consumer_group_consumers_group_name_fkey;
ALTER TABLE consumer_groups ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE consumer_groups ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE consumer_groups DROP CONSTRAINT consumer_groups_pkey;
ALTER TABLE consumer_groups ADD PRIMARY KEY (tenant, group_name);
ALTER TABLE consumer_group_events ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE consumer_group_events ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE consumer_group_events DROP CONSTRAINT consumer_group_events_pkey;
ALTER TABLE consumer_group_events DROP CONSTRAINT consumer_group_events_event_key;
ALTER TABLE consumer_group_events ADD PRIMARY KEY (tenant, group_name, global_position);
ALTER TABLE consumer_group_events ADD CONSTRAINT consumer_group_events_event_key UNIQUE (tenant, group_name, event_id);
ALTER TABLE consumer_group_events ADD CONSTRAINT consumer_group_events_group_name_fkey FOREIGN KEY (tenant, group_name) REFERENCES consumer_groups (tenant, group_name) ON DELETE CASCADE;
ALTER TABLE consumer_group_parked ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE consumer_group_parked ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE consumer_group_parked DROP CONSTRAINT consumer_group_parked_pkey;
DROP INDEX consumer_group_parked_replay;
ALTER TABLE consumer_group_parked ADD PRIMARY KEY (tenant, group_name, global_position);
CREATE INDEX consumer_group_parked_replay ON consumer_group_parked (tenant, group_name, global_position) WHERE replay;
ALTER TABLE consumer_group_parked ADD CONSTRAINT consumer_group_parked_group_name_fkey FOREIGN KEY (tenant, group_name) REFERENCES consumer_groups (tenant, group_name) ON DELETE CASCADE;
ALTER TABLE consumer_group_consumers ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE consumer_group_consumers ALTER COLUMN tenant DROP DEFAULT;
ALTER TABLE consumer_group_consumers DROP CONSTRAINT consumer_group_consumers_pkey;
ALTER TABLE consumer_group_consumers ADD PRIMARY KEY (tenant, group_name, consumer);
ALTER TABLE consumer_group_consumers ADD CONSTRAINT consumer_group_consumers_group_name_fkey FOREIGN KEY (tenant, group_name) REFERENCES consumer_groups (tenant, group_name) ON DELETE CASCADE;
--rollback DELETE FROM consumer_groups WHERE tenant <> 'default';
--rollback ALTER TABLE consumer_group_events DROP CONSTRAINT consumer_group_events_group_name_fkey;
--rollback ALTER TABLE consumer_group_parked DROP CONSTRAINT consumer_group_parked_group_name_fkey;
--rollback ALTER TABLE consumer_group_consumers DROP CONSTRAINT consumer_group_consumers_group_name_fkey;
--rollback ALTER TABLE consumer_group_consumers DROP COLUMN tenant;
--rollback ALTER TABLE consumer_group_parked DROP COLUMN tenant;
--rollback ALTER TABLE consumer_group_events DROP COLUMN tenant;
--rollback ALTER TABLE consumer_groups DROP COLUMN tenant;
--rollback ALTER TABLE consumer_groups ADD PRIMARY KEY (group_name);
--rollback ALTER TABLE consumer_group_events ADD PRIMARY KEY (group_name, global_position);
--rollback ALTER TABLE consumer_group_events ADD CONSTRAINT consumer_group_events_event_key UNIQUE (group_name, event_id);
--rollback ALTER TABLE consumer_group_events ADD CONSTRAINT consumer_group_events_group_name_fkey FOREIGN KEY (group_name) REFERENCES consumer_groups (group_name) ON DELETE CASCADE;
--rollback ALTER TABLE consumer_group_parked ADD PRIMARY KEY (group_name, global_position);
--rollback CREATE INDEX consumer_group_parked_replay ON consumer_group_parked (group_name, global_position) WHERE replay;
--rollback ALTER TABLE consumer_group_parked ADD CONSTRAINT consumer_group_parked_group_name_fkey FOREIGN KEY (group_name) REFERENCES consumer_groups (group_name) ON DELETE CASCADE;
--rollback ALTER TABLE consumer_group_consumers ADD PRIMARY KEY (group_name, consumer);
--rollback ALTER TABLE consumer_group_consumers ADD CONSTRAINT consumer_group_consumers_group_name_fkey FOREIGN KEY (group_name) REFERENCES consumer_groups (group_name) ON DELETE CASCADE;
