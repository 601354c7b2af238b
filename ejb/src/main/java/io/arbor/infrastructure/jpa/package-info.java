/**
 * PostgreSQL through JPA (EclipseLink): the entities (the stream row, {@link
 * io.arbor.infrastructure.jpa.StreamEntity}, is an append's concurrency anchor, locked through
 * JPA), the row-level operations an append and a read need, the global-log sequencer, and {@link
 * io.arbor.infrastructure.jpa.PersistenceFailures}, the one place where database errors become
 * domain exceptions, applied to the services by the interceptor binding {@link
 * io.arbor.infrastructure.jpa.TranslatesStoreFailures}.
 */
package io.arbor.infrastructure.jpa;
