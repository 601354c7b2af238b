--liquibase formatted sql

--changeset arbor:2026-11-25-02-create-events
--comment: The events. global_position is taken from the sequence while the append holds the global-log lock, so positions are handed out in commit order (see GlobalLogLock).
CREATE SEQUENCE events_global_position_seq;
CREATE TABLE events (
    global_position bigint       PRIMARY KEY,
    event_id        uuid         NOT NULL,
    stream_id       varchar(200) NOT NULL REFERENCES streams (stream_id),
    version         bigint       NOT NULL CHECK (version >= 1),
    category        varchar(200) NOT NULL,
    type            varchar(200) NOT NULL,
    schema_version  integer      NOT NULL DEFAULT 1,
    data            jsonb        NOT NULL,
    metadata        jsonb        NOT NULL,
    recorded_at     timestamptz  NOT NULL,
    -- Second line of defence behind the stream row's lock_version: two events can never share a version.
    CONSTRAINT events_stream_version_key UNIQUE (stream_id, version),
    CONSTRAINT events_event_id_key UNIQUE (event_id)
);
CREATE INDEX events_category_position ON events (category, global_position);
CREATE INDEX events_type_position ON events (type, global_position);
--rollback DROP TABLE events;
--rollback DROP SEQUENCE events_global_position_seq;
