--liquibase formatted sql

--changeset arbor:2026-11-25-08-create-schema-registry-generation
--comment: One row whose generation grows with every change to the registry. Appends and reads probe it (one primary-key read) and take the registry of that generation from the cache, so no instance ever validates or upcasts with a registry older than one another instance acknowledged. Registry writes lock the row, which also serializes them.
CREATE TABLE schema_registry (
    id         smallint PRIMARY KEY CHECK (id = 1),
    generation bigint   NOT NULL
);
INSERT INTO schema_registry (id, generation) VALUES (1, 1);
--rollback DROP TABLE schema_registry;
