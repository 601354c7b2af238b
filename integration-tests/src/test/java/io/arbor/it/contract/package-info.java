/**
 * The store contract: {@link io.arbor.it.contract.StoreContract}, the behaviour every way of
 * reaching Arbor's event store must show (expected versions, idempotent retries, all-or-nothing
 * batches, numbering, a gap-safe global log, concurrent writers, tenants), written against the
 * small {@link io.arbor.it.contract.Store} interface and knowing nothing of HTTP; and its bindings,
 * each a {@code *ContractIT} subclass that the integration-test run picks up: {@link
 * io.arbor.it.contract.RestStoreContractIT} over the REST API. docs/testing.md says how to run it.
 */
package io.arbor.it.contract;
