package io.arbor.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The endpoint → role table is complete and is the README's: every JAX-RS resource method of the
 * WAR has a rule, every rule names a resource method, and the README shows the table.
 */
class AccessRulesTest {
    static final String README_BEGIN = "<!-- endpoint-roles: generated from AccessRules -->";
    static final String README_END = "<!-- end endpoint-roles -->";

    @Test
    void everyResourceMethodHasARule() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Endpoint endpoint : resourceEndpoints()) {
            if (AccessRules.leastRole(endpoint) == null) {
                missing.add(endpoint.toString());
            }
        }
        assertEquals(
                List.of(),
                missing,
                "endpoints without a rule in AccessRules (add one: a new endpoint is refused until"
                        + " it has one)");
    }

    @Test
    void everyRuleNamesAResourceMethod() throws Exception {
        Set<Endpoint> stale = new LinkedHashSet<>(AccessRules.all().keySet());
        stale.removeAll(resourceEndpoints());
        assertEquals(Set.of(), stale, "rules in AccessRules for endpoints that do not exist");
    }

    @Test
    void noResourceHasASubResourceLocator() throws Exception {
        // A locator's sub-resource methods would be matched with another class's annotations:
        // the table keys endpoints by the resource class's @Path and the method's.
        List<String> locators = new ArrayList<>();
        for (Class<?> resource : resourceClasses()) {
            for (Method method : resource.getMethods()) {
                if (method.isAnnotationPresent(Path.class)
                        && Endpoint.of(resource, method) == null) {
                    locators.add(resource.getSimpleName() + "." + method.getName());
                }
            }
        }
        assertEquals(List.of(), locators);
    }

    @Test
    void theReadmeShowsTheTable() throws IOException {
        String readme =
                Files.readString(java.nio.file.Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int begin = readme.indexOf(README_BEGIN);
        int end = readme.indexOf(README_END);
        assertTrue(
                begin >= 0 && end > begin, "README.md lacks " + README_BEGIN + " … " + README_END);
        String shown = readme.substring(begin + README_BEGIN.length(), end).strip();
        assertEquals(
                AccessRules.markdownTable().strip(),
                shown,
                "README.md's endpoint → role table differs from AccessRules; paste this:\n"
                        + AccessRules.markdownTable());
    }

    @Test
    void eachRoleGrantsWhatTheOnesBeforeItGrant() {
        assertTrue(Role.ADMIN.grants(Role.WRITER) && Role.WRITER.grants(Role.READER));
        assertTrue(!Role.READER.grants(Role.WRITER) && !Role.WRITER.grants(Role.ADMIN));
        assertEquals(Role.WRITER, Role.highest(List.of("arbor-reader", "arbor-writer")).get());
        assertTrue(Role.highest(List.of("admin", "arbor-Reader")).isEmpty());
    }

    /** Every endpoint the WAR's resource classes declare. */
    static Set<Endpoint> resourceEndpoints() throws IOException, URISyntaxException {
        Set<Endpoint> endpoints = new LinkedHashSet<>();
        for (Class<?> resource : resourceClasses()) {
            for (Method method : resource.getMethods()) {
                Endpoint endpoint = Endpoint.of(resource, method);
                if (endpoint != null) {
                    endpoints.add(endpoint);
                }
            }
        }
        return endpoints;
    }

    /** The classes of the WAR (web/target/classes) that carry {@code @Path}. */
    static List<Class<?>> resourceClasses() throws IOException, URISyntaxException {
        java.nio.file.Path classes =
                java.nio.file.Path.of(
                        AccessRules.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        List<Class<?>> resources = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(classes)) {
            for (java.nio.file.Path file :
                    files.filter(f -> f.toString().endsWith(".class"))
                            .filter(f -> !f.endsWith("package-info.class"))
                            .sorted()
                            .toList()) {
                String name = classes.relativize(file).toString();
                Class<?> type =
                        Class.forName(
                                name.substring(0, name.length() - ".class".length())
                                        .replace('/', '.'),
                                false,
                                AccessRules.class.getClassLoader());
                if (type.isAnnotationPresent(Path.class)) {
                    resources.add(type);
                }
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(resources.size() >= 5, "found only " + resources);
        return resources;
    }
}
