/**
 * How the event store reaches the outside world: JPA entities and queries over PostgreSQL ({@code
 * jpa}), the schema migration run at deploy ({@code migration}). Entities never leave {@code jpa};
 * they are mapped to domain records at its edge.
 */
package io.arbor.infrastructure;
