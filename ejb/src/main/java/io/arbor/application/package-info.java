/**
 * The event store's services, as stateless EJBs: {@link io.arbor.application.EventStore} (append,
 * read a stream, read the global log), {@link io.arbor.application.StreamAppender} (one append
 * attempt in one JTA transaction) and {@link io.arbor.application.SnapshotStore}.
 */
package io.arbor.application;
