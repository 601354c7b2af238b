/**
 * Event types and their schemas (issue 6), as values: the registry as of one generation ({@link
 * io.arbor.domain.schema.SchemaRegistryState}, one {@link io.arbor.domain.schema.EventTypeState}
 * per type), the compatibility modes and the algorithm that checks a new schema version against the
 * previous one ({@link io.arbor.domain.schema.CompatibilityChecker}, each break a {@link
 * io.arbor.domain.schema.SchemaBreak}), the violations of an invalid event, the declarative
 * upcasters registered over REST ({@link io.arbor.domain.schema.DeclarativeUpcaster} and its {@link
 * io.arbor.domain.schema.UpcastOperation}s), and the registry's failures. Java upcasters implement
 * {@link io.arbor.spi.Upcaster} (module {@code spi}); {@link io.arbor.application.EventSchemas}
 * validates and upcasts with both kinds.
 */
package io.arbor.domain.schema;
