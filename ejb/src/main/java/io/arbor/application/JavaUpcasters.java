package io.arbor.application;

import io.arbor.spi.Upcaster;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;

/** The Java upcasters deployed with Arbor (CDI beans implementing {@link Upcaster}), by step. */
@ApplicationScoped
public class JavaUpcasters {
    @Inject @Any Instance<Upcaster> beans;

    private final Map<String, Upcaster> bySteps = new HashMap<>();

    @PostConstruct
    void collect() {
        for (Upcaster upcaster : beans) {
            Upcaster other =
                    bySteps.putIfAbsent(key(upcaster.type(), upcaster.fromVersion()), upcaster);
            if (other != null) {
                // Two answers for one step would make reads depend on discovery order: refuse to
                // start rather than serve either.
                throw new IllegalStateException(
                        "Two Java upcasters for "
                                + upcaster.type()
                                + " from version "
                                + upcaster.fromVersion()
                                + ": "
                                + other.getClass().getName()
                                + " and "
                                + upcaster.getClass().getName());
            }
        }
    }

    /** The upcaster from {@code fromVersion} of {@code type}, {@code null} when none. */
    public Upcaster find(String type, int fromVersion) {
        return bySteps.isEmpty() ? null : bySteps.get(key(type, fromVersion));
    }

    /** The class names of the Java upcasters of {@code type}, by the version they read. */
    public Map<Integer, String> forType(String type) {
        Map<Integer, String> steps = new java.util.TreeMap<>();
        bySteps.values().stream()
                .filter(upcaster -> upcaster.type().equals(type))
                .forEach(
                        upcaster ->
                                steps.put(upcaster.fromVersion(), upcaster.getClass().getName()));
        return steps;
    }

    private static String key(String type, int fromVersion) {
        return fromVersion + " " + type;
    }
}
