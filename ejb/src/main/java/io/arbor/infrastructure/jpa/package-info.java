/**
 * PostgreSQL through JPA (EclipseLink): the entities, the row-level operations an append and a read
 * need, the global-log sequencer, and {@link io.arbor.infrastructure.jpa.PersistenceFailures}, the
 * one place where database errors become domain exceptions.
 */
package io.arbor.infrastructure.jpa;
