--liquibase formatted sql

--changeset arbor:2026-11-25-03-create-snapshots
--comment: Snapshots of a stream's state at a version; readers take the highest version.
CREATE TABLE snapshots (
    stream_id  varchar(200) NOT NULL REFERENCES streams (stream_id),
    version    bigint       NOT NULL CHECK (version >= 1),
    type       varchar(200) NOT NULL,
    data       jsonb        NOT NULL,
    created_at timestamptz  NOT NULL,
    PRIMARY KEY (stream_id, version)
);
--rollback DROP TABLE snapshots;
