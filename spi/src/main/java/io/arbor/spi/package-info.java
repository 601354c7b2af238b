/**
 * What applications implement to extend Arbor ({@link io.arbor.spi.Upcaster}), and what the store
 * and its clients must compute alike: {@link io.arbor.spi.EventHash}, the hash of an event in its
 * stream's chain, and {@link io.arbor.spi.JsonCursor}, the JSON tokenizer that the hash's canonical
 * JSON and the archive's copy of PostgreSQL's {@code jsonb} text both read with. A jar of its own
 * in the EAR's {@code lib/}, because a class in another {@code lib/} jar can only implement an
 * interface its class loader sees, and {@code lib/} cannot see the EJB module.
 */
package io.arbor.spi;
