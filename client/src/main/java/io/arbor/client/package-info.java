/**
 * A typed Java client for Arbor's REST API ({@code /arbor/api}, see api.md).
 *
 * <p>Start with {@link io.arbor.client.ArborClient}: {@code ArborClient.connect(URI)} or {@code
 * ArborClient.builder(URI)}. Values are records ({@link io.arbor.client.NewEvent}, {@link
 * io.arbor.client.RecordedEvent}, …); event payloads are Jakarta JSON-P {@code JsonObject}s, so any
 * JSON an application stores comes back exactly as it was written. Every problem+json answer
 * becomes a subclass of {@link io.arbor.client.ArborProblemException}; a store that stays
 * unreachable after the retries becomes {@link io.arbor.client.ArborUnavailableException}. Live
 * subscriptions run as {@link io.arbor.client.Subscription}s, a consumer group's consumer as a
 * {@link io.arbor.client.GroupConsumer}.
 */
package io.arbor.client;
