/**
 * How the event store reaches the outside world: PostgreSQL through JPA and plain JDBC ({@code
 * jpa}), the hot cache and the streams' committed heads in Payara's data grid ({@code cache}), the
 * grid beyond the cache ({@code grid}), MicroProfile Metrics ({@code metrics}), the schema
 * migration run at deploy and the check of the role the application connects as ({@code
 * migration}), the JSON Schema validator ({@code schema}), the events table's partitions ({@code
 * partitions}) and the archive tier's files and reads ({@code archive}). Entities never leave
 * {@code jpa}; they are mapped to domain records at its edge.
 */
package io.arbor.infrastructure;
