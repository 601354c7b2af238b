--liquibase formatted sql

--changeset arbor:2026-12-08-02-bound-stream-max-age
--comment: maxAge is at most 100 years (io.arbor.domain.StreamMetadata.MAX_AGE_SECONDS): visible_events computes now() - max_age_seconds, and a value past PostgreSQL's timestamp range would make every read that meets the stream's events fail, the live subscriptions' store-wide tailer included. The check keeps a row written outside the API (SQL, an import) from doing it.
ALTER TABLE streams ADD CONSTRAINT streams_max_age_bounded CHECK (max_age_seconds <= 3162240000);
--rollback ALTER TABLE streams DROP CONSTRAINT streams_max_age_bounded;
