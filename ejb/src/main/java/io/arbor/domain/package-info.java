/**
 * The event store's vocabulary: values that validate themselves on construction ({@link
 * io.arbor.domain.StreamId}, {@link io.arbor.domain.ExpectedVersion}, {@link
 * io.arbor.domain.NewEvent}), the results of appends and reads, and one exception per failure kind.
 * Plain Java: no JPA, no JAX-RS, no container types.
 */
package io.arbor.domain;
