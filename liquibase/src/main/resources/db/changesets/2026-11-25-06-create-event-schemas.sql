--liquibase formatted sql

--changeset arbor:2026-11-25-06-create-event-schemas
--comment: The JSON Schema (draft 2020-12) of each version of an event type. Versions start at 1 with no gaps, and a registered version never changes, so it can be cached forever.
CREATE TABLE event_schemas (
    type       varchar(200) NOT NULL REFERENCES event_types (type),
    version    integer      NOT NULL CHECK (version >= 1),
    schema     jsonb        NOT NULL,
    created_at timestamptz  NOT NULL,
    PRIMARY KEY (type, version)
);
--rollback DROP TABLE event_schemas;
