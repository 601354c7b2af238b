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
    // The bean classes, for GET /schemas/{type}: the instances are client proxies.
    private final Map<Upcaster, String> classNames = new HashMap<>();

    @PostConstruct
    void collect() {
        for (Instance.Handle<Upcaster> handle : beans.handles()) {
            Upcaster upcaster = handle.get();
            classNames.put(upcaster, handle.getBean().getBeanClass().getName());
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
                                + classNames.get(other)
                                + " and "
                                + classNames.get(upcaster));
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
                .forEach(upcaster -> steps.put(upcaster.fromVersion(), classNames.get(upcaster)));
        return steps;
    }

    private static String key(String type, int fromVersion) {
        return fromVersion + " " + type;
    }
}
