package io.arbor.infrastructure.jpa;

import java.util.Collection;
import java.util.stream.Collectors;

/** Array parameters of native queries, sent as text that PostgreSQL casts ({@code ?::bigint[]}). */
final class SqlArrays {
    private SqlArrays() {}

    /**
     * The array literal of {@code values} ({@code {1,2,3}}): numbers and uuids, whose text never
     * needs quoting.
     */
    static String literal(Collection<?> values) {
        return values.stream().map(Object::toString).collect(Collectors.joining(",", "{", "}"));
    }
}
