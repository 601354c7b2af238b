/**
 * MicroProfile Health checks: readiness (PostgreSQL answers through Arbor's pool with the schema in
 * place, {@link io.arbor.web.health.DatabaseReadiness}; this member of the data grid is running,
 * {@link io.arbor.web.health.DataGridReadiness}), liveness (the JVM has heap to work with, {@link
 * io.arbor.web.health.JvmLiveness}).
 */
package io.arbor.web.health;
