/**
 * The event store's services. The stateless EJBs: {@link io.arbor.application.EventStore} (append;
 * each attempt one JTA transaction that it begins and commits itself, with retries of a lost race),
 * {@link io.arbor.application.StreamAppender} (one attempt inside that transaction), {@link
 * io.arbor.application.EventReader} (reads; each one transaction of one tenant, because row-level
 * security is set per transaction), {@link io.arbor.application.SnapshotStore} and {@link
 * io.arbor.application.SchemaRegistry}. Beside them, CDI beans: {@link
 * io.arbor.application.StreamHeads} (the committed-heads protocol: the heads a read starts from,
 * the leases around every write that moves one), {@link io.arbor.application.TransactionEnd} (work
 * that waits for a transaction to end), {@link io.arbor.application.EventSchemas} (validation and
 * upcasting) and {@link io.arbor.application.JavaUpcasters}. Live subscriptions and consumer groups
 * have packages of their own.
 */
package io.arbor.application;
