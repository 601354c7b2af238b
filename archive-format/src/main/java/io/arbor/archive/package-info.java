/**
 * The archive tier's files (docs/archive.md): ranges of the global log as compressed segment files
 * with manifests in a directory. {@link io.arbor.archive.ArchiveWriter} writes a segment
 * crash-safely and verifies it before committing it; {@link io.arbor.archive.ArchiveReader} reads
 * ranges, events by position and streams' events, every block checked against its manifest; {@link
 * io.arbor.archive.ArchiveVerifier} checks a whole directory ({@code arbor archive verify});
 * anything that is not as its manifest says is one {@link
 * io.arbor.archive.ArchiveCorruptedException}.
 *
 * <p>The file layer only: a module of its own, plain Java over the JSON-P API, so that the server
 * (the archiver {@code io.arbor.infrastructure.archive.EventArchiver} writes segments, the read
 * side {@code io.arbor.infrastructure.archive.ArchivedEvents} reads them) and the offline CLI
 * ({@code arbor archive verify}, {@code arbor verify --archive-dir}, {@code arbor export}) share
 * one definition of the format.
 */
package io.arbor.archive;
