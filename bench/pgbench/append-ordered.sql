-- One Arbor append of one event, as the server does it: advance the stream row, take positions
-- through reserve_global_positions (in flight until commit), insert the event. Distinct stream per client.
-- As the application's role, under row-level security: each transaction names its tenant, as
-- Arbor's do (issue 16).
\set s random(1, 1000000)
BEGIN;
SELECT set_config('arbor.tenant', 'default', true);
INSERT INTO streams (tenant, stream_id, category, version, lock_version, created_at, updated_at)
  VALUES ('default', 'bench-' || :client_id || '-' || :s, 'bench', 1, 1, now(), now())
  ON CONFLICT (tenant, stream_id) DO UPDATE
  SET version = streams.version + 1, lock_version = streams.lock_version + 1, updated_at = now()
  RETURNING version AS v \gset
SELECT reserve_global_positions(1) AS p \gset
INSERT INTO events (tenant, global_position, event_id, stream_id, version, category, type, data, metadata, recorded_at)
  VALUES ('default', :p, gen_random_uuid(), 'bench-' || :client_id || '-' || :s, :v, 'bench', 'Deposited',
          '{"amount": 10, "currency": "EUR"}', '{}', now());
END;
