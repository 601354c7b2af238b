/**
 * What applications implement to extend Arbor: {@link io.arbor.spi.Upcaster}. A jar of its own in
 * the EAR's {@code lib/}, because a class in another {@code lib/} jar can only implement an
 * interface its class loader sees, and {@code lib/} cannot see the EJB module.
 */
package io.arbor.spi;
