--liquibase formatted sql

--changeset arbor:2026-12-06-04-add-written-by-to-events
--comment: Audit (issue 16): who appended each event, the token's sub; NULL for events from before, and for appends with security off. Returned as the event's writtenBy.
ALTER TABLE events ADD COLUMN written_by text;
--rollback ALTER TABLE events DROP COLUMN written_by;
