/**
 * The event store's services. Writes are stateless EJBs, each append one JTA transaction: {@link
 * io.arbor.application.EventStore} (append, with retries of a lost race), {@link
 * io.arbor.application.StreamAppender} (one attempt inside that transaction), {@link
 * io.arbor.application.SnapshotStore} and {@link io.arbor.application.SchemaRegistry}. Reads need
 * no transaction and go through the CDI bean {@link io.arbor.application.EventReader}.
 */
package io.arbor.application;
