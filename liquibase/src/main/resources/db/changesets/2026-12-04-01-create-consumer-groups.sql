--liquibase formatted sql

--changeset arbor:2026-12-04-01-create-consumer-groups
--comment: Consumer groups (docs/consumer-groups.md): settings per group and how far it has searched the log; the group's pending and leased events (a window of the log past the checkpoint, copied from events as the group reads on); its parked events; its consumers. The checkpoint is computed from these rows (just below the oldest row of consumer_group_events or parked row being replayed, else scanned_to), never stored, so acks change only the leases they name, under a share lock on the group's row, and run side by side. Every other change of a group's state first locks that row for update. The window table leaves half of each page free, so leasing and releasing a row in place stays on its page (HOT, no index entries).
CREATE TABLE consumer_groups (
    group_name          varchar(100) PRIMARY KEY,
    filter_category     varchar(200),
    filter_type         varchar(200),
    filter_stream_id    varchar(200),
    strategy            varchar(20)  NOT NULL CHECK (strategy IN ('round-robin', 'pinned')),
    max_retries         integer      NOT NULL CHECK (max_retries >= 0),
    ack_timeout_seconds integer      NOT NULL CHECK (ack_timeout_seconds >= 1),
    max_in_flight       integer      NOT NULL CHECK (max_in_flight >= 1),
    -- the log has been searched for the group's events up to here: each matching event at or
    -- below it is done (acked or skipped), parked, or a row of consumer_group_events
    scanned_to          bigint       NOT NULL CHECK (scanned_to >= 0),
    created_at          timestamptz  NOT NULL,
    updated_at          timestamptz  NOT NULL
);
CREATE TABLE consumer_group_events (
    group_name        varchar(100) NOT NULL REFERENCES consumer_groups (group_name) ON DELETE CASCADE,
    global_position   bigint       NOT NULL,
    event_id          uuid         NOT NULL,
    stream_id         varchar(200) NOT NULL,
    state             varchar(10)  NOT NULL CHECK (state IN ('pending', 'leased')),
    consumer          varchar(100),
    lease_deadline    timestamptz,
    delivery_attempts integer      NOT NULL DEFAULT 0,
    -- a parked event delivered again: before new ones
    replayed          boolean      NOT NULL DEFAULT false,
    PRIMARY KEY (group_name, global_position),
    CONSTRAINT consumer_group_events_event_key UNIQUE (group_name, event_id),
    CONSTRAINT consumer_group_events_lease CHECK ((state = 'leased') = (consumer IS NOT NULL AND lease_deadline IS NOT NULL))
) WITH (fillfactor = 50);
CREATE TABLE consumer_group_parked (
    group_name        varchar(100) NOT NULL REFERENCES consumer_groups (group_name) ON DELETE CASCADE,
    global_position   bigint       NOT NULL,
    event_id          uuid         NOT NULL,
    stream_id         varchar(200) NOT NULL,
    delivery_attempts integer      NOT NULL,
    reason            varchar(20)  NOT NULL CHECK (reason IN ('nacked', 'max-retries')),
    parked_at         timestamptz  NOT NULL,
    -- a replay was asked for: it moves into consumer_group_events, a window's worth at a time
    replay            boolean      NOT NULL DEFAULT false,
    PRIMARY KEY (group_name, global_position)
);
CREATE INDEX consumer_group_parked_replay ON consumer_group_parked (group_name, global_position) WHERE replay;
CREATE TABLE consumer_group_consumers (
    group_name varchar(100) NOT NULL REFERENCES consumer_groups (group_name) ON DELETE CASCADE,
    consumer   varchar(100) NOT NULL,
    last_seen  timestamptz  NOT NULL,
    PRIMARY KEY (group_name, consumer)
);
--rollback DROP TABLE consumer_group_consumers;
--rollback DROP TABLE consumer_group_parked;
--rollback DROP TABLE consumer_group_events;
--rollback DROP TABLE consumer_groups;
