/**
 * PostgreSQL through JPA (EclipseLink): the entities, the row-level operations an append and a read
 * need, the global-log sequencer, and {@link io.arbor.infrastructure.jpa.PersistenceFailures}, the
 * one place where database errors become domain exceptions.
 *
 * <p>Two hot statements run as plain JDBC on the EntityManager's own connection (the transaction's,
 * with its tenant setting): {@link io.arbor.infrastructure.jpa.ReadProbe}, the one statement of a
 * cached read, and {@link io.arbor.infrastructure.jpa.EventRows#insert}, whose typed array
 * parameters need the connection.
 */
package io.arbor.infrastructure.jpa;
