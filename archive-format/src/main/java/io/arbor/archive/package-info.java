/**
 * The archive tier's files (docs/archive.md): ranges of the global log as compressed segment files
 * with manifests in a directory. {@link io.arbor.archive.ArchiveWriter} writes a segment
 * crash-safely and verifies it before committing it; {@link io.arbor.archive.ArchiveReader} reads
 * ranges, events by position and streams' events, every block checked against its manifest; {@link
 * io.arbor.archive.ArchiveVerifier} checks a whole directory ({@code arbor archive verify});
 * anything that is not as its manifest says is one {@link
 * io.arbor.archive.ArchiveCorruptedException}.
 *
 * <p>This is the file layer only. Nothing in the server uses it yet: the archiver job (which moves
 * a partition into a segment and drops it once {@code write} has returned), {@code
 * arbor.archive.dir}, the read paths that serve archived ranges (and answer 503 problem+json on
 * {@code ArchiveCorruptedException}), and {@code arbor archive list|run|restore} are the next step
 * (issue 20). A module of its own, plain Java over the JSON-P API, so that the server and the
 * offline CLI share one definition of the format.
 */
package io.arbor.archive;
