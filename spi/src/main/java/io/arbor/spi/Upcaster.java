package io.arbor.spi;

import jakarta.json.JsonObject;

/**
 * The Java SPI for upcasting: a CDI bean implementing this interface (in a jar in the EAR's {@code
 * lib/}, with a bean-defining annotation such as {@code @ApplicationScoped}) turns the data of
 * events of {@link #type()} from schema version {@link #fromVersion()} into version {@code
 * fromVersion() + 1}. Arbor chains upcasters up to the type's latest registered version whenever an
 * event is read (unless the reader asks for {@code ?upcast=false}); stored events never change.
 *
 * <p>An upcaster must be a pure function of the data: the same input always gives the same output,
 * on every instance, since reads may be served by any of them. For one type and version, a Java
 * upcaster takes precedence over, and forbids, a declarative one registered over REST.
 */
public interface Upcaster {
    /** The event type this upcaster applies to. */
    String type();

    /** The schema version it reads; it produces {@code fromVersion() + 1}. */
    int fromVersion();

    /** The event's data at {@code fromVersion() + 1}. */
    JsonObject upcast(JsonObject data);
}
