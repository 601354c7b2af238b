--liquibase formatted sql

--changeset arbor:2026-11-25-05-create-event-types
--comment: The schema registry's types: one row per event type that has a schema or a compatibility mode (issue 6). compatibility is how a new schema version must relate to the previous one.
CREATE TABLE event_types (
    type          varchar(200) PRIMARY KEY,
    compatibility varchar(8)   NOT NULL DEFAULT 'BACKWARD'
        CHECK (compatibility IN ('BACKWARD', 'FORWARD', 'FULL', 'NONE')),
    created_at    timestamptz  NOT NULL,
    updated_at    timestamptz  NOT NULL
);
--rollback DROP TABLE event_types;
