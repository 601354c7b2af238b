-- One Arbor append of :n events (pgbench -D n=100) in one transaction, as the server does it:
-- advance the stream row by n, take n positions through reserve_global_positions, insert n events
-- (one multi-row INSERT, as pgjdbc's reWriteBatchedInserts sends Arbor's JDBC batch).
-- As the application's role, under row-level security: each transaction names its tenant, as
-- Arbor's do (issue 16).
\set s random(1, 1000000)
BEGIN;
SELECT set_config('arbor.tenant', 'default', true);
INSERT INTO streams (tenant, stream_id, category, version, lock_version, created_at, updated_at)
  VALUES ('default', 'bench-' || :client_id || '-' || :s, 'bench', :n, 1, now(), now())
  ON CONFLICT (tenant, stream_id) DO UPDATE
  SET version = streams.version + :n, lock_version = streams.lock_version + 1, updated_at = now()
  RETURNING version - :n AS v \gset
SELECT reserve_global_positions(:n) AS p \gset
INSERT INTO events (tenant, global_position, event_id, stream_id, version, category, type, data, metadata, recorded_at)
  SELECT 'default', :p + g - 1, gen_random_uuid(), 'bench-' || :client_id || '-' || :s, :v + g, 'bench', 'Deposited',
         '{"amount": 10, "currency": "EUR"}', '{}', now()
  FROM generate_series(1, :n) g;
END;
