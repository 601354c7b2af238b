-- The range partitions a SQL seed of bench/at-scale.sh needs, made before it as Arbor's partition
-- check makes them (io.arbor.infrastructure.partitions.EventPartitions, PartitionPlan): contiguous
-- from the catalogue's last end, each ending at the next multiple of :size, until :through (the
-- highest position the seed will use) and :ahead more are covered; each created with a CHECK
-- constraint implying its bounds, attached, the CHECK dropped, and recorded in event_partitions.
-- Without it a seed outruns the check (its partitions ahead fill in seconds) and its rows land in
-- the default partition, which the next check then moves under a lock (docs/benchmarks.md, issue
-- 20's first run). Under the check's advisory lock, so the two never run together.
--   psql -v through=50000000 -v size=1000000 -v ahead=2 -f bench/create-partitions.sql DB
\set ON_ERROR_STOP on
BEGIN;
SELECT pg_advisory_xact_lock(1098015343, 1) \g /dev/null
LOCK TABLE events IN ACCESS EXCLUSIVE MODE;
-- psql does not interpolate inside the DO block's dollar quotes: the values pass as settings
SELECT set_config('bench.size', :'size', true), set_config('bench.through', (:through + :ahead * :size)::text, true) \g /dev/null
DO $$
DECLARE
    size    bigint := current_setting('bench.size')::bigint;
    through bigint := current_setting('bench.through')::bigint;
    low     bigint;
    high    bigint;
    name    text;
BEGIN
    SELECT coalesce(max(to_position), 0) INTO low FROM event_partitions;
    WHILE low <= through LOOP
        high := (low / size + 1) * size;
        name := 'events_p' || low;
        EXECUTE format('CREATE TABLE %I (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name);
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (global_position >= %s AND global_position < %s)',
                       name, name || '_bounds', low, high);
        EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', name, low, high);
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', name, name || '_bounds');
        INSERT INTO event_partitions (partition_name, from_position, to_position, state, created_at)
        VALUES (name, low, high, 'attached', now());
        low := high;
    END LOOP;
END
$$;
COMMIT;
