/**
 * Event types and their schemas (issue 6): the compatibility modes and the algorithm that checks a
 * new schema version against the previous one, the violations of an invalid event, and upcasting
 * (the {@link io.arbor.domain.schema.Upcaster} SPI and the declarative operations registered over
 * REST).
 */
package io.arbor.domain.schema;
