--liquibase formatted sql

--changeset arbor:2026-12-07-20-create-function-lock-append-keys splitStatements:false
--comment: The append conditions' locks (docs/design.md, "Append conditions: why two appends that exclude each other never both commit"). Takes transaction-level advisory locks on the keys given, in the order given (the caller sorts them), shared or exclusive each: one statement however many keys, and a fixed order, so two appends never wait for each other in a cycle. Keys are in the two-integer space: the one-bigint space holds the global log's in-flight positions, which global_log_horizon reads from pg_locks.
CREATE FUNCTION lock_append_keys(high integer[], low integer[], exclusive boolean[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer := coalesce(array_length(high, 1), 0);
BEGIN
    FOR i IN 1 .. n LOOP
        IF exclusive[i] THEN
            PERFORM pg_advisory_xact_lock(high[i], low[i]);
        ELSE
            PERFORM pg_advisory_xact_lock_shared(high[i], low[i]);
        END IF;
    END LOOP;
    RETURN n;
END
$$;
--rollback DROP FUNCTION lock_append_keys(integer[], integer[], boolean[]);
