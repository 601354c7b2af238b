/**
 * The archive tier as the catalogue describes it (docs/archive.md, "The archiver"): the state of
 * each range of the global log, the archiver's jobs, and the failures an administrator can act on.
 * Plain records; {@code io.arbor.infrastructure.archive.EventArchiver} carries the transitions out.
 */
package io.arbor.domain.archive;
