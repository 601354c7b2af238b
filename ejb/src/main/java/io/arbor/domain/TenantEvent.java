package io.arbor.domain;

/** An event with the tenant it belongs to: what a store-wide read of the log returns. */
public record TenantEvent(Tenant tenant, RecordedEvent event) {}
