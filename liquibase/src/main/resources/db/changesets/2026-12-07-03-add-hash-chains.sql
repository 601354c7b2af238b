--liquibase formatted sql

--changeset arbor:2026-12-07-03-add-hash-chains
--comment: Per-stream hash chains (issue 18, docs/tamper-evidence.md): each event's SHA-256 over its predecessor's hash and its canonical content (io.arbor.spi.EventHash), and the stream head's hash on the stream row, so an append chains from the row it loads anyway. Computed in Java, so both columns start NULL: events from before are chained at deploy by SchemaMigration's backfill, stream by stream under the stream row's lock; a stream row whose head_hash is NULL is one not chained yet (the partial index finds them), and appends to it write NULL hashes until the backfill chains the whole stream.
ALTER TABLE events ADD COLUMN hash bytea CONSTRAINT events_hash_is_sha256 CHECK (octet_length(hash) = 32);
ALTER TABLE streams ADD COLUMN head_hash bytea CONSTRAINT streams_head_hash_is_sha256 CHECK (octet_length(head_hash) = 32);
CREATE INDEX streams_not_chained ON streams (tenant, stream_id) WHERE head_hash IS NULL;
--rollback DROP INDEX streams_not_chained;
--rollback ALTER TABLE streams DROP COLUMN head_hash;
--rollback ALTER TABLE events DROP COLUMN hash;
