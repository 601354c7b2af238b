/**
 * PostgreSQL through JPA (EclipseLink): the entities (the stream row, {@link
 * io.arbor.infrastructure.jpa.StreamEntity}, is an append's concurrency anchor, locked through
 * JPA), the row-level operations an append and a read need, the global-log sequencer, and {@link
 * io.arbor.infrastructure.jpa.PersistenceFailures}, the one place where database errors become
 * domain exceptions, applied to the services by the interceptor binding {@link
 * io.arbor.infrastructure.jpa.TranslatesStoreFailures}.
 *
 * <p>Two hot statements run as plain JDBC on the EntityManager's own connection (the transaction's,
 * with its tenant setting): {@link io.arbor.infrastructure.jpa.ReadProbe}, the one statement of a
 * cached read, and {@link io.arbor.infrastructure.jpa.EventRows#insert}, whose typed array
 * parameters need the connection.
 */
package io.arbor.infrastructure.jpa;
