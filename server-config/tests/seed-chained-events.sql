-- Seeds :events events into Arbor's database with SQL, as Arbor itself would have written them:
-- streams 'chain-<run>-<k>' (category 'chain') of :per_stream events each, in the tenant 'default',
-- every event tagged 'account:<k>' (its event_tags row too), positions taken from the position
-- sequence, and each stream's hash chain computed as io.arbor.spi.EventHash does (SHA-256 of the
-- previous hash and the event's canonical JSON; docs/tamper-evidence.md), so `arbor verify` and
-- `arbor export` accept the store. Run as the tables' owner (it bypasses row-level security):
--   psql -v events=1000000 -v per_stream=10 -v run=a -f seed-chained-events.sql DB
-- :events must be a multiple of :per_stream. Works on the schema before and after the partitioned
-- events table (2026-12-09-01): it writes events through the table's name only.
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE seeded ON COMMIT DROP AS
WITH RECURSIVE
    base AS (
        SELECT setval('events_global_position_seq',
                      nextval('events_global_position_seq') + :events - 1) - :events + 1 AS first),
    chain (k, version, position, event_id, data, hash) AS (
        SELECT k, 1::bigint, b.first + k * :per_stream,
               ('c0000000-0000-4000-8000-' || lpad(to_hex(b.first + k * :per_stream), 12, '0'))::uuid,
               jsonb_build_object('amount', k, 'currency', 'EUR'),
               sha256('\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
                      || convert_to(format(
                          '{"data":{"amount":%s,"currency":"EUR"},"eventId":"%s","metadata":{},"schemaVersion":1,"streamId":"chain-%s-%s","tags":["account:%s"],"type":"Deposited","version":1}',
                          k, ('c0000000-0000-4000-8000-' || lpad(to_hex(b.first + k * :per_stream), 12, '0')),
                          :'run', k, k), 'UTF8'))
          FROM base b, generate_series(0, :events / :per_stream - 1) k
        UNION ALL
        SELECT c.k, c.version + 1, c.position + 1,
               ('c0000000-0000-4000-8000-' || lpad(to_hex(c.position + 1), 12, '0'))::uuid,
               jsonb_build_object('amount', c.k + c.version, 'currency', 'EUR'),
               sha256(c.hash || convert_to(format(
                          '{"data":{"amount":%s,"currency":"EUR"},"eventId":"%s","metadata":{},"schemaVersion":1,"streamId":"chain-%s-%s","tags":["account:%s"],"type":"Deposited","version":%s}',
                          c.k + c.version, ('c0000000-0000-4000-8000-' || lpad(to_hex(c.position + 1), 12, '0')),
                          :'run', c.k, c.k, c.version + 1), 'UTF8'))
          FROM chain c WHERE c.version < :per_stream)
SELECT * FROM chain;
INSERT INTO streams (tenant, stream_id, category, version, lock_version, created_at, updated_at, head_hash)
SELECT 'default', 'chain-' || :'run' || '-' || k, 'chain', version, 1, now(), now(), hash
  FROM seeded WHERE version = :per_stream;
INSERT INTO events (tenant, global_position, event_id, stream_id, version, category, type, data,
                    metadata, recorded_at, tags, hash)
SELECT 'default', position, event_id, 'chain-' || :'run' || '-' || k, version, 'chain', 'Deposited',
       data, '{}', now(), jsonb_build_array('account:' || k), hash
  FROM seeded ORDER BY position;
INSERT INTO event_tags (tenant, tag, global_position)
SELECT 'default', 'account:' || k, position FROM seeded;
COMMIT;
