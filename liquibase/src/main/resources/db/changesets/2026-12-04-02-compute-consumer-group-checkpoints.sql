--liquibase formatted sql

--changeset arbor:2026-12-04-02-compute-consumer-group-checkpoints
--comment: A group's checkpoint is computed from its rows (just below the oldest row of consumer_group_events, else scanned_to), never stored: acks then change only the leases they name, under a share lock on the group's row, and run side by side. Each matching event at or below scanned_to is done (acked or skipped), parked, or a row of consumer_group_events.
ALTER TABLE consumer_groups DROP COLUMN checkpoint;
ALTER TABLE consumer_groups ADD CONSTRAINT consumer_groups_scanned_to_check CHECK (scanned_to >= 0);
--rollback ALTER TABLE consumer_groups DROP CONSTRAINT consumer_groups_scanned_to_check;
--rollback ALTER TABLE consumer_groups ADD COLUMN checkpoint bigint NOT NULL DEFAULT 0 CHECK (checkpoint >= 0);
--rollback UPDATE consumer_groups g SET checkpoint = COALESCE((SELECT min(e.global_position) - 1 FROM consumer_group_events e WHERE e.group_name = g.group_name), g.scanned_to);
