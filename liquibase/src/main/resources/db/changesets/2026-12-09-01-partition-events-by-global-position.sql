--liquibase formatted sql

--changeset arbor:2026-12-09-01-partition-events-by-global-position splitStatements:false rollbackSplitStatements:false
--comment: The partitioned events table (issue 20, docs/design.md "The partitioned events table"). events becomes a table partitioned by range of global_position, converted in place: the old table is renamed events_p0 and attached as the partition [0, B), B one past the highest position handed out or stored (all the events stored before; Arbor sizes the partitions after it, arbor.partitions.size), after a CHECK constraint that implies the bounds (so ATTACH skips its scan; the CHECK goes once attached); the parent's indexes adopt the old table's matching ones (only (tenant, stream_id, version), non-unique on the parent, is built). events_default takes any row past the last range partition, so an append never fails for lack of a partition; Arbor creates the next partitions ahead and moves such rows into a proper one (io.arbor.infrastructure.partitions.EventPartitions). event_partitions is the catalogue of the range partitions (bounds fixed per partition; the archive will add states). PostgreSQL cannot enforce a unique key across partitions unless it contains the partition key, so the two uniquenesses the table had, (tenant, event_id) and (tenant, stream_id, version), move to the narrow key table event_keys, filled here from the stored events and then by statement-level triggers on events from each statement's transition table: an insert of a duplicate id or version fails in the statement that inserts it, whichever partitions the rows land in and whoever writes them through events; a delete (scavenging) removes the keys with the rows, a TRUNCATE of events empties the key table; an update that changes a key column (never Arbor's; by hand) moves the key, refused as a duplicate like an insert. Row-level security, policies and grants as before, on the parent (and on event_keys); visible_events is recreated unchanged on the parent. The rollback moves every partition's rows back into events_p0 and makes it the plain events table again.
DROP VIEW visible_events;

-- The old table becomes the first partition: its indexes keep their data, under partition names.
ALTER TABLE events RENAME TO events_p0;
ALTER TABLE events_p0 RENAME CONSTRAINT events_pkey TO events_p0_pkey;
ALTER INDEX events_tenant_position RENAME TO events_p0_tenant_global_position_idx;
ALTER INDEX events_category_position RENAME TO events_p0_tenant_category_global_position_idx;
ALTER INDEX events_type_position RENAME TO events_p0_tenant_type_global_position_idx;
ALTER TABLE events_p0 RENAME CONSTRAINT events_stream_id_fkey TO events_p0_stream_id_fkey;
DROP POLICY tenant_rows ON events_p0;
DROP POLICY store_scope_reads ON events_p0;
ALTER TABLE events_p0 NO FORCE ROW LEVEL SECURITY;
ALTER TABLE events_p0 DISABLE ROW LEVEL SECURITY;
REVOKE SELECT, INSERT, UPDATE, DELETE ON events_p0 FROM arbor_app;

-- The keys, from the stored events; indexes built after the load (one sort each).
CREATE TABLE event_keys (
    tenant          text         NOT NULL CONSTRAINT event_keys_tenant_check CHECK (tenant ~ '^[a-z0-9-]{1,63}$'),
    event_id        uuid         NOT NULL,
    stream_id       varchar(200) NOT NULL,
    version         bigint       NOT NULL,
    global_position bigint       NOT NULL
);
INSERT INTO event_keys (tenant, event_id, stream_id, version, global_position)
SELECT tenant, event_id, stream_id, version, global_position FROM events_p0;
ALTER TABLE event_keys ADD CONSTRAINT event_keys_pkey PRIMARY KEY (tenant, event_id);
ALTER TABLE event_keys ADD CONSTRAINT event_keys_stream_version_key UNIQUE (tenant, stream_id, version);
ALTER TABLE events_p0 DROP CONSTRAINT events_event_id_key;
ALTER TABLE events_p0 DROP CONSTRAINT events_stream_version_key;
ALTER TABLE event_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE event_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON event_keys USING (tenant = nullif(current_setting('arbor.tenant', true), '')) WITH CHECK (tenant = nullif(current_setting('arbor.tenant', true), ''));
CREATE POLICY store_scope_reads ON event_keys FOR SELECT USING (current_setting('arbor.scope', true) = 'store');
GRANT SELECT, INSERT, DELETE ON event_keys TO arbor_app;

-- The partitioned parent: the same columns in the same order (tuple routing then needs no conversion).
CREATE TABLE events (
    global_position bigint       NOT NULL,
    event_id        uuid         NOT NULL,
    stream_id       varchar(200) NOT NULL,
    version         bigint       NOT NULL CONSTRAINT events_version_check CHECK (version >= 1),
    category        varchar(200) NOT NULL,
    type            varchar(200) NOT NULL,
    schema_version  integer      NOT NULL DEFAULT 1,
    data            jsonb        NOT NULL,
    metadata        jsonb        NOT NULL,
    recorded_at     timestamptz  NOT NULL,
    tenant          text         NOT NULL CONSTRAINT events_tenant_check CHECK (tenant ~ '^[a-z0-9-]{1,63}$'),
    written_by      text,
    tags            jsonb        NOT NULL DEFAULT '[]',
    hash            bytea        CONSTRAINT events_hash_is_sha256 CHECK (octet_length(hash) = 32),
    CONSTRAINT events_pkey PRIMARY KEY (global_position),
    CONSTRAINT events_stream_id_fkey FOREIGN KEY (tenant, stream_id) REFERENCES streams (tenant, stream_id)
) PARTITION BY RANGE (global_position);
CREATE INDEX events_tenant_position ON events (tenant, global_position);
CREATE INDEX events_stream_version ON events (tenant, stream_id, version);
CREATE INDEX events_category_position ON events (tenant, category, global_position);
CREATE INDEX events_type_position ON events (tenant, type, global_position);

CREATE TABLE event_partitions (
    partition_name  text        PRIMARY KEY,
    from_position   bigint      NOT NULL CONSTRAINT event_partitions_from_position_key UNIQUE,
    to_position     bigint      NOT NULL,
    state           text        NOT NULL CONSTRAINT event_partitions_state_check CHECK (state IN ('attached')),
    created_at      timestamptz NOT NULL,
    -- max(recorded_at) of the partition's events, set once every position below to_position is settled
    max_recorded_at timestamptz,
    CONSTRAINT event_partitions_bounds_check CHECK (0 <= from_position AND from_position < to_position)
);

DO $$
DECLARE
    handed_out bigint;
    upper_bound bigint;
BEGIN
    SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END INTO handed_out
      FROM events_global_position_seq;
    -- a row above the sequence (written by hand) must still fit: the primary key's last entry
    upper_bound := greatest(handed_out, (SELECT max(global_position) FROM events_p0), 0) + 1;
    EXECUTE format('ALTER TABLE events_p0 ADD CONSTRAINT events_p0_bounds CHECK (global_position >= 0 AND global_position < %s)', upper_bound);
    EXECUTE format('ALTER TABLE events ATTACH PARTITION events_p0 FOR VALUES FROM (0) TO (%s)', upper_bound);
    ALTER TABLE events_p0 DROP CONSTRAINT events_p0_bounds;
    INSERT INTO event_partitions (partition_name, from_position, to_position, state, created_at)
    VALUES ('events_p0', 0, upper_bound, 'attached', now());
END
$$;
CREATE TABLE events_default PARTITION OF events DEFAULT;

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON events USING (tenant = nullif(current_setting('arbor.tenant', true), '')) WITH CHECK (tenant = nullif(current_setting('arbor.tenant', true), ''));
CREATE POLICY store_scope_reads ON events FOR SELECT USING (current_setting('arbor.scope', true) = 'store');
GRANT SELECT, INSERT, UPDATE, DELETE ON events TO arbor_app;

-- The keys follow the rows: one set-based statement per inserting or deleting statement.
CREATE FUNCTION record_event_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_keys (tenant, event_id, stream_id, version, global_position)
    SELECT tenant, event_id, stream_id, version, global_position FROM inserted_events;
    RETURN NULL;
END
$$;
CREATE FUNCTION remove_event_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM event_keys k USING removed_events r
     WHERE k.tenant = r.tenant AND k.event_id = r.event_id AND k.global_position = r.global_position;
    RETURN NULL;
END
$$;
-- Events are never updated but for their hash (the backfill); a key changed by hand moves with it.
CREATE FUNCTION update_event_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM event_keys k USING old_events o
     WHERE k.tenant = o.tenant AND k.event_id = o.event_id
       AND NOT EXISTS (SELECT 1 FROM new_events n WHERE n.tenant = o.tenant AND n.event_id = o.event_id
                          AND n.stream_id = o.stream_id AND n.version = o.version
                          AND n.global_position = o.global_position);
    INSERT INTO event_keys (tenant, event_id, stream_id, version, global_position)
    SELECT n.tenant, n.event_id, n.stream_id, n.version, n.global_position FROM new_events n
     WHERE NOT EXISTS (SELECT 1 FROM event_keys k WHERE k.tenant = n.tenant AND k.event_id = n.event_id
                          AND k.stream_id = n.stream_id AND k.version = n.version
                          AND k.global_position = n.global_position);
    RETURN NULL;
END
$$;
CREATE TRIGGER events_record_keys AFTER INSERT ON events
    REFERENCING NEW TABLE AS inserted_events FOR EACH STATEMENT EXECUTE FUNCTION record_event_keys();
CREATE TRIGGER events_remove_keys AFTER DELETE ON events
    REFERENCING OLD TABLE AS removed_events FOR EACH STATEMENT EXECUTE FUNCTION remove_event_keys();
CREATE TRIGGER events_update_keys AFTER UPDATE ON events
    REFERENCING OLD TABLE AS old_events NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION update_event_keys();
-- TRUNCATE fires no delete trigger: the owner's TRUNCATE of events (the benchmark's reset) empties the keys too.
CREATE FUNCTION truncate_event_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE event_keys;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_truncate_keys AFTER TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION truncate_event_keys();

CREATE VIEW visible_events WITH (security_invoker = true) AS
SELECT e.* FROM events e
WHERE NOT EXISTS (
    SELECT 1 FROM streams s
    WHERE s.has_lifecycle AND s.tenant = e.tenant AND s.stream_id = e.stream_id
      AND (e.version < s.truncate_before
           OR e.version <= s.version - s.max_count
           OR e.recorded_at < now() - make_interval(secs => s.max_age_seconds)));
GRANT SELECT ON visible_events TO arbor_app;
--rollback DROP VIEW visible_events;
--rollback DO $$
--rollback DECLARE
--rollback     partitions text[];
--rollback     p text;
--rollback BEGIN
--rollback     SELECT array_agg(c.relname::text ORDER BY c.relname) INTO partitions
--rollback       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass;
--rollback     FOREACH p IN ARRAY coalesce(partitions, '{}') LOOP
--rollback         EXECUTE format('ALTER TABLE events DETACH PARTITION %I', p);
--rollback     END LOOP;
--rollback     FOREACH p IN ARRAY coalesce(partitions, '{}') LOOP
--rollback         IF p <> 'events_p0' THEN
--rollback             EXECUTE format('INSERT INTO events_p0 SELECT * FROM %I', p);
--rollback             EXECUTE format('DROP TABLE %I', p);
--rollback         END IF;
--rollback     END LOOP;
--rollback END
--rollback $$;
--rollback DROP TABLE events;
--rollback DROP FUNCTION record_event_keys();
--rollback DROP FUNCTION remove_event_keys();
--rollback DROP FUNCTION update_event_keys();
--rollback DROP FUNCTION truncate_event_keys();
--rollback DROP TABLE event_partitions;
--rollback DROP TABLE event_keys;
--rollback ALTER TABLE events_p0 RENAME TO events;
--rollback DROP INDEX events_p0_tenant_stream_id_version_idx;
--rollback ALTER TABLE events RENAME CONSTRAINT events_p0_pkey TO events_pkey;
--rollback ALTER INDEX events_p0_tenant_global_position_idx RENAME TO events_tenant_position;
--rollback ALTER INDEX events_p0_tenant_category_global_position_idx RENAME TO events_category_position;
--rollback ALTER INDEX events_p0_tenant_type_global_position_idx RENAME TO events_type_position;
--rollback ALTER TABLE events RENAME CONSTRAINT events_p0_stream_id_fkey TO events_stream_id_fkey;
--rollback ALTER TABLE events ADD CONSTRAINT events_stream_version_key UNIQUE (tenant, stream_id, version);
--rollback ALTER TABLE events ADD CONSTRAINT events_event_id_key UNIQUE (tenant, event_id);
--rollback ALTER TABLE events ENABLE ROW LEVEL SECURITY;
--rollback ALTER TABLE events FORCE ROW LEVEL SECURITY;
--rollback CREATE POLICY tenant_rows ON events USING (tenant = nullif(current_setting('arbor.tenant', true), '')) WITH CHECK (tenant = nullif(current_setting('arbor.tenant', true), ''));
--rollback CREATE POLICY store_scope_reads ON events FOR SELECT USING (current_setting('arbor.scope', true) = 'store');
--rollback GRANT SELECT, INSERT, UPDATE, DELETE ON events TO arbor_app;
--rollback CREATE VIEW visible_events WITH (security_invoker = true) AS
--rollback SELECT e.* FROM events e
--rollback WHERE NOT EXISTS (
--rollback     SELECT 1 FROM streams s
--rollback     WHERE s.has_lifecycle AND s.tenant = e.tenant AND s.stream_id = e.stream_id
--rollback       AND (e.version < s.truncate_before
--rollback            OR e.version <= s.version - s.max_count
--rollback            OR e.recorded_at < now() - make_interval(secs => s.max_age_seconds)));
--rollback GRANT SELECT ON visible_events TO arbor_app;
