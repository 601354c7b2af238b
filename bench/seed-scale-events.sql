-- One chunk of bench/at-scale.sh's store: :events events (a multiple of :per_stream) appended by SQL
-- in one transaction, as Arbor's tagged appends write them, so that a store of tens of millions of
-- events takes minutes instead of days over REST. Run as the tables' owner (it bypasses row-level
-- security), on the schema before or after the partitioned events table (2026-12-09-01): it
-- writes through the table names only, and the key table's triggers fill event_keys.
--   psql -v events=1000000 -v per_stream=100 -v run=a -f bench/seed-scale-events.sql DB
-- The chunk's :events / :per_stream streams 'account-<run><n>' (category 'account', n their first
-- position) are interleaved as concurrent writers interleave them: position first + g belongs to
-- stream g mod S at version g div S + 1 (S the chunk's stream count), so the (stream, version)
-- index takes its keys in the order a live store does, not stream by stream. Each event carries
-- ~300 bytes of JSON text (data ~160: a deposit, withdrawal or transfer; metadata ~140: correlation
-- and causation ids; a row of 476 bytes in all), its stream's tag 'account:<run><n>' (events.tags
-- and its event_tags row), and no hash: the benchmark reads neither `verify` nor the chains. Each
-- stream row gets a stand-in head hash (SHA-256 of its id) so that HashChainBackfill, which chains
-- every stream whose row has none, leaves the seed alone when Arbor is deployed on it; an append to
-- a seeded stream would chain from that stand-in (`verify` reports such a stream). Positions come
-- from reserve_global_positions, as an append's do.
\set ON_ERROR_STOP on
BEGIN;
SELECT reserve_global_positions(:events) AS first \gset
INSERT INTO streams (tenant, stream_id, category, version, lock_version, created_at, updated_at, head_hash)
SELECT 'default', id, 'account', :per_stream, 1, now(), now(), sha256(convert_to(id, 'UTF8'))
  FROM generate_series(0, :events / :per_stream - 1) s, LATERAL (SELECT 'account-' || :'run' || (:first + s) AS id) i;
WITH written AS (
    INSERT INTO events (tenant, global_position, event_id, stream_id, version, category, type, data,
                        metadata, recorded_at, tags)
    SELECT 'default', :first + g,
           ('b2000000-0000-4000-8000-' || lpad(to_hex(:first + g), 12, '0'))::uuid,
           'account-' || :'run' || (:first + g % (:events / :per_stream)),
           g / (:events / :per_stream) + 1, 'account',
           (ARRAY['Deposited', 'Withdrawn', 'TransferSent'])[g % 3 + 1],
           jsonb_build_object('amount', (g * 7919) % 100000 / 100.0, 'currency', 'EUR',
                              'reference', 'INV-' || lpad(((:first + g) % 1000000)::text, 6, '0'),
                              'counterparty', 'DE' || lpad(((g * 104729) % 100000000)::text, 20, '0'),
                              'memo', 'payment ' || (:first + g) || ' for order ' || (g % 9973)),
           jsonb_build_object('correlationId', ('c2000000-0000-4000-8000-' || lpad(to_hex(:first + g / 5), 12, '0')),
                              'causationId', ('d2000000-0000-4000-8000-' || lpad(to_hex(:first + g), 12, '0')),
                              'source', 'ledger-service'),
           now(), jsonb_build_array('account:' || :'run' || (:first + g % (:events / :per_stream)))
      FROM generate_series(0::bigint, :events - 1) g
    RETURNING tenant, global_position, tags)
INSERT INTO event_tags (tenant, tag, global_position)
SELECT w.tenant, w.tags ->> 0, w.global_position FROM written w;
COMMIT;
