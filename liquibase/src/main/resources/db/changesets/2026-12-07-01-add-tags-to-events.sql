--liquibase formatted sql

--changeset arbor:2026-12-07-01-add-tags-to-events
--comment: Tags (issue 18, docs/tags-and-queries.md). events.tags holds an event's tags in the writer's order as a jsonb array of strings ('[]' when none: a constant default, so adding the column rewrites no row). event_tags is the index a query by tag reads: one row per (tenant, tag, event), its primary key in that order, so "the tenant's events carrying tag t after position P, in position order" is one range scan of the key, O(matching events). Written by the same statement as the events (EventRows.insert), never changed; no foreign key to events (a key probe per tag on every append, and nothing deletes events); a reader of one tag reads event_tags alone (no join), so whatever deletes events must delete their event_tags rows in the same transaction. Row-level security and the grants as for the other tenant tables (2026-12-06-05).
ALTER TABLE events ADD COLUMN tags jsonb NOT NULL DEFAULT '[]';
CREATE TABLE event_tags (
    tenant          text   NOT NULL CONSTRAINT event_tags_tenant_check CHECK (tenant ~ '^[a-z0-9-]{1,63}$'),
    tag             text   NOT NULL,
    global_position bigint NOT NULL,
    CONSTRAINT event_tags_pkey PRIMARY KEY (tenant, tag, global_position)
);
ALTER TABLE event_tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE event_tags FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON event_tags USING (tenant = nullif(current_setting('arbor.tenant', true), '')) WITH CHECK (tenant = nullif(current_setting('arbor.tenant', true), ''));
CREATE POLICY store_scope_reads ON event_tags FOR SELECT USING (current_setting('arbor.scope', true) = 'store');
GRANT SELECT, INSERT, UPDATE, DELETE ON event_tags TO arbor_app;
--rollback REVOKE SELECT, INSERT, UPDATE, DELETE ON event_tags FROM arbor_app;
--rollback DROP TABLE event_tags;
--rollback ALTER TABLE events DROP COLUMN tags;
