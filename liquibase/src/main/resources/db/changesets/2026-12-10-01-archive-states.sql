--liquibase formatted sql

--changeset arbor:2026-12-10-01-archive-states splitStatements:false rollbackSplitStatements:false
--comment: The archive tier's catalogue (issue 20, docs/archive.md "The archiver"). Each range partition of events is attached (its rows in PostgreSQL only), archived (a committed, verified segment in arbor.archive.dir holds its range and the rows are still in PostgreSQL: readers read the range from the archive) or detached (the partition was detached and dropped: the archive alone holds the range). state_changed_at is when the state last changed: the archiver detaches an archived partition only arbor.archive.grace-seconds after it, and removes the segment of a restored (attached again) range only as long after it. archive_events, archive_bytes and archive_sha256 describe the segment (its events, its data file's size and SHA-256) while one holds the range; null when attached. archive_jobs records the archiver's runs requested through /admin/archive (io.arbor.infrastructure.archive.EventArchiver), so any instance answers GET /admin/archive/{jobId}; written by the owner's pool, which runs the archiver. archive_identity holds the store's id, which the archive directory must carry (one directory, one store). arbor_app may read the catalogue (the read side's view of archived ranges). The rollback refuses while any range is archived or detached (restore them first: arbor archive restore), since the schema before it cannot say where those rows are.
ALTER TABLE event_partitions DROP CONSTRAINT event_partitions_state_check;
ALTER TABLE event_partitions ADD CONSTRAINT event_partitions_state_check CHECK (state IN ('attached', 'archived', 'detached'));
ALTER TABLE event_partitions ADD COLUMN state_changed_at timestamptz;
UPDATE event_partitions SET state_changed_at = created_at;
ALTER TABLE event_partitions ALTER COLUMN state_changed_at SET DEFAULT now();
ALTER TABLE event_partitions ALTER COLUMN state_changed_at SET NOT NULL;
ALTER TABLE event_partitions ADD COLUMN archive_events bigint;
ALTER TABLE event_partitions ADD COLUMN archive_bytes bigint;
ALTER TABLE event_partitions ADD COLUMN archive_sha256 text CONSTRAINT event_partitions_archive_sha256_check CHECK (archive_sha256 ~ '^[0-9a-f]{64}$');
-- A range held by the archive has its segment's figures; an attached one has none.
ALTER TABLE event_partitions ADD CONSTRAINT event_partitions_archive_check CHECK (
    (state = 'attached' AND archive_events IS NULL AND archive_bytes IS NULL AND archive_sha256 IS NULL)
    OR (state <> 'attached' AND archive_events IS NOT NULL AND archive_bytes IS NOT NULL AND archive_sha256 IS NOT NULL));
CREATE INDEX event_partitions_archived ON event_partitions (from_position) WHERE state <> 'attached';
GRANT SELECT ON event_partitions TO arbor_app;

CREATE TABLE archive_jobs (
    job_id          uuid        PRIMARY KEY,
    kind            text        NOT NULL CONSTRAINT archive_jobs_kind_check CHECK (kind IN ('archive', 'restore')),
    state           text        NOT NULL CONSTRAINT archive_jobs_state_check CHECK (state IN ('running', 'done', 'failed')),
    -- archive: the positions below which partitions are archived (null: by age); restore: the range's from
    position        bigint,
    owner           text        NOT NULL,
    requested_at    timestamptz NOT NULL,
    finished_at     timestamptz,
    archived        integer     NOT NULL DEFAULT 0,
    detached        integer     NOT NULL DEFAULT 0,
    restored        integer     NOT NULL DEFAULT 0,
    skipped         integer     NOT NULL DEFAULT 0,
    events          bigint      NOT NULL DEFAULT 0,
    failure         text,
    -- the running job's owner renews it every few seconds; a running job whose heartbeat is stale
    -- lost its instance (stopped or killed) and is failed by whichever instance looks next
    heartbeat_at    timestamptz NOT NULL
);
CREATE INDEX archive_jobs_recent ON archive_jobs (requested_at DESC);

-- Which store an archive directory belongs to: the archiver writes store_id into the directory
-- (arbor-store-id) and refuses a directory holding another store's, so two databases never share
-- one (one would take the other's segments for its own). A backup carries it, so a restored store
-- keeps its directory.
CREATE TABLE archive_identity (
    store_id   uuid        PRIMARY KEY,
    created_at timestamptz NOT NULL
);
INSERT INTO archive_identity (store_id, created_at) VALUES (gen_random_uuid(), now());
--rollback DO $$
--rollback BEGIN
--rollback     IF EXISTS (SELECT 1 FROM event_partitions WHERE state <> 'attached') THEN
--rollback         RAISE EXCEPTION 'event_partitions holds archived or detached ranges: restore them first (arbor archive restore --from N)';
--rollback     END IF;
--rollback END
--rollback $$;
--rollback DROP TABLE archive_identity;
--rollback DROP TABLE archive_jobs;
--rollback REVOKE SELECT ON event_partitions FROM arbor_app;
--rollback DROP INDEX event_partitions_archived;
--rollback ALTER TABLE event_partitions DROP CONSTRAINT event_partitions_archive_check;
--rollback ALTER TABLE event_partitions DROP COLUMN archive_sha256;
--rollback ALTER TABLE event_partitions DROP COLUMN archive_bytes;
--rollback ALTER TABLE event_partitions DROP COLUMN archive_events;
--rollback ALTER TABLE event_partitions DROP COLUMN state_changed_at;
--rollback ALTER TABLE event_partitions DROP CONSTRAINT event_partitions_state_check;
--rollback ALTER TABLE event_partitions ADD CONSTRAINT event_partitions_state_check CHECK (state IN ('attached'));
