/**
 * The archive tier in the server (docs/archive.md): {@link
 * io.arbor.infrastructure.archive.EventArchiver} moves sealed partitions of the events table into
 * segment files in {@code arbor.archive.dir} and back (the states {@code attached}, {@code
 * archived}, {@code detached} in the catalogue {@code event_partitions}); {@link
 * io.arbor.infrastructure.archive.ArchivedRanges} is each instance's view of which ranges the
 * archive serves, re-read within a quarter of the grace before a partition is dropped; {@link
 * io.arbor.infrastructure.archive.ArchivedEvents} answers reads of those ranges from the segments,
 * with the same lifecycle rule as the view {@code visible_events}, and {@link
 * io.arbor.infrastructure.archive.JsonbText} prints their JSON as PostgreSQL's {@code jsonb} does,
 * so either tier gives the same bytes. {@code io.arbor.infrastructure.jpa.EventRows} splits each
 * read into archived and PostgreSQL regions.
 */
package io.arbor.infrastructure.archive;
