/**
 * Consumer groups (docs/consumer-groups.md): server-side subscriptions with competing consumers,
 * leases, retries and parking. The types here are values and rules; the state lives in PostgreSQL
 * ({@code infrastructure.jpa.ConsumerGroupRows}) and the use cases in {@code
 * application.groups.ConsumerGroups}.
 */
package io.arbor.domain.groups;
