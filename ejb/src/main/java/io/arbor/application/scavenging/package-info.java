/**
 * Scavenging (docs/lifecycle.md, "Scavenging"): removes the events that lifecycle rules hide, with
 * what points at them. {@link io.arbor.application.scavenging.Scavenges} requests and shows jobs;
 * {@link io.arbor.application.scavenging.Scavenger} runs them, on a schedule and after a crash;
 * {@link io.arbor.application.scavenging.ScavengeBatches} is each of its short transactions.
 */
package io.arbor.application.scavenging;
