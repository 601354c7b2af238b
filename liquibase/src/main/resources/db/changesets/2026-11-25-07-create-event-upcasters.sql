--liquibase formatted sql

--changeset arbor:2026-11-25-07-create-event-upcasters
--comment: Declarative upcasters: the operations (rename, add, remove, move) that turn an event type's data from from_version into from_version + 1 when it is read. Never changed once registered.
CREATE TABLE event_upcasters (
    type         varchar(200) NOT NULL,
    from_version integer      NOT NULL CHECK (from_version >= 1),
    operations   jsonb        NOT NULL,
    created_at   timestamptz  NOT NULL,
    PRIMARY KEY (type, from_version),
    FOREIGN KEY (type, from_version) REFERENCES event_schemas (type, version)
);
--rollback DROP TABLE event_upcasters;
