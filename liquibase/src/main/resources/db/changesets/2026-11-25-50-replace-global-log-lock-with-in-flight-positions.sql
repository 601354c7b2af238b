--liquibase formatted sql

--changeset arbor:2026-11-25-50-replace-global-log-lock-with-in-flight-positions splitStatements:false rollbackSplitStatements:false
--comment: Commit-ordered reading of the global log without serializing commits. Before: one advisory lock held from taking positions until commit (at most one commit flush at a time). Now: an append publishes its positions as in flight (a transaction-scoped advisory lock keyed by its first position, which PostgreSQL releases only after the commit is visible) and readers stop below the lowest in-flight position (global_log_horizon). Taking positions and publishing them is one short critical section (session lock 'Arbo',0) that readers take shared, so no reader can see a position handed out but not yet published.
CREATE OR REPLACE FUNCTION reserve_global_positions(how_many integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    first_position bigint;
BEGIN
    -- 1098015343 = 'Arbo' in ASCII: the critical section around handing out positions. A session
    -- lock, released below (not at commit), so appends overlap everywhere except in these lines.
    PERFORM pg_advisory_lock(1098015343, 0);
    BEGIN
        first_position := nextval('events_global_position_seq');
        IF how_many > 1 THEN
            PERFORM setval('events_global_position_seq', first_position + how_many - 1);
        END IF;
        -- In flight until this transaction ends: readers stop below it (global_log_horizon).
        PERFORM pg_advisory_xact_lock(first_position);
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        -- a session lock outlives the transaction: never leave it held on a pooled connection
        PERFORM pg_advisory_unlock(1098015343, 0);
        RAISE;
    END;
    PERFORM pg_advisory_unlock(1098015343, 0);
    RETURN first_position;
END
$$;

-- The highest position up to which the global log is complete: every position at or below it
-- belongs to a transaction that has ended (committed and visible to any later snapshot, or rolled
-- back and never to appear). A reader must take its snapshot after calling this (in READ COMMITTED,
-- a later statement) and read only positions at or below the result.
CREATE FUNCTION global_log_horizon() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    handed_out bigint;
    lowest_in_flight bigint;
BEGIN
    PERFORM pg_advisory_lock_shared(1098015343, 0);
    BEGIN
        SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END
          INTO handed_out FROM events_global_position_seq;
        -- Single-bigint advisory keys show as objsubid 1 with the key split into classid/objid.
        SELECT min((classid::bigint << 32) | objid::bigint) INTO lowest_in_flight
          FROM pg_locks
         WHERE locktype = 'advisory' AND objsubid = 1
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database());
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        PERFORM pg_advisory_unlock_shared(1098015343, 0);
        RAISE;
    END;
    PERFORM pg_advisory_unlock_shared(1098015343, 0);
    RETURN CASE WHEN lowest_in_flight IS NULL THEN handed_out
                ELSE least(handed_out, lowest_in_flight - 1) END;
END
$$;
--rollback DROP FUNCTION global_log_horizon();
--rollback CREATE OR REPLACE FUNCTION reserve_global_positions(how_many integer) RETURNS bigint LANGUAGE plpgsql AS $$ DECLARE first_position bigint; BEGIN PERFORM pg_advisory_xact_lock(281091927922); first_position := nextval('events_global_position_seq'); IF how_many > 1 THEN PERFORM setval('events_global_position_seq', first_position + how_many - 1); END IF; RETURN first_position; END $$;
