--liquibase formatted sql

--changeset arbor:2026-11-25-04-create-function-reserve-global-positions splitStatements:false
--comment: Hands out global positions in commit order. A bigserial alone breaks the global log: a transaction that took position 7 can commit after one that took 8, and a reader that already moved past 8 never sees 7. Holding one transaction-scoped advisory lock from taking positions until commit makes commit order equal position order. PostgreSQL makes a commit visible before it releases the transaction's locks, so whoever takes the next positions starts after the previous holder is visible.
CREATE FUNCTION reserve_global_positions(how_many integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    first_position bigint;
BEGIN
    -- 281091927922 = 'Arbor' in ASCII: the global log's lock key, held until this transaction ends.
    PERFORM pg_advisory_xact_lock(281091927922);
    first_position := nextval('events_global_position_seq');
    IF how_many > 1 THEN
        PERFORM setval('events_global_position_seq', first_position + how_many - 1);
    END IF;
    RETURN first_position;
END
$$;
--rollback DROP FUNCTION reserve_global_positions(integer);
