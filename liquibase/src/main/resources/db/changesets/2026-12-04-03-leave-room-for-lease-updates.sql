--liquibase formatted sql

--changeset arbor:2026-12-04-03-leave-room-for-lease-updates
--comment: A group's window rows are leased and released in place: with half of each page free, those updates stay on their page (HOT, no index entries), and the table churns less.
ALTER TABLE consumer_group_events SET (fillfactor = 50);
--rollback ALTER TABLE consumer_group_events RESET (fillfactor);
