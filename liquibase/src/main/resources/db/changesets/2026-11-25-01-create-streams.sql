--liquibase formatted sql

--changeset arbor:2026-11-25-01-create-streams
--comment: One row per stream: the concurrency anchor of every append (lock_version is the JPA @Version).
CREATE TABLE streams (
    stream_id    varchar(200) PRIMARY KEY,
    category     varchar(200) NOT NULL,
    version      bigint       NOT NULL CHECK (version >= 0),
    lock_version bigint       NOT NULL,
    created_at   timestamptz  NOT NULL,
    updated_at   timestamptz  NOT NULL
);
CREATE INDEX streams_category ON streams (category, stream_id);
--rollback DROP TABLE streams;
