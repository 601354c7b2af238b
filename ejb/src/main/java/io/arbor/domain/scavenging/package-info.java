/**
 * Scavenging (docs/lifecycle.md): a job that removes one tenant's hidden events, its state and
 * progress ({@link io.arbor.domain.scavenging.ScavengeJob}).
 */
package io.arbor.domain.scavenging;
