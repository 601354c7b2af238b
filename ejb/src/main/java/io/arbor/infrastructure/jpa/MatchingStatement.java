package io.arbor.infrastructure.jpa;

import io.arbor.domain.EventJson;
import io.arbor.domain.EventQuery;
import io.arbor.domain.QueryItem;
import io.arbor.domain.Tenant;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The statement that finds the positions of a tenant's events matching an {@link EventQuery} after
 * a position (and at or below a bound, when given), lowest first, with the item each matched: one
 * statement, each item an index range scan that stops after {@code limit} rows, so its cost is the
 * matching events read, not the store's size (docs/tags-and-queries.md shows the plan).
 *
 * <ul>
 *   <li>An item with tags walks {@code event_tags}' key (tenant, its first tag, position) upwards
 *       and probes each entry's event by (tenant, position) in {@code visible_events}, which also
 *       checks its type and its other tags ({@code tags @> …}) when the item names them.
 *   <li>An item with types only walks {@code events_type_position} (tenant, type, position) once
 *       per type (an index-only scan of {@code events}: positions only) and probes each entry's
 *       event in {@code visible_events}.
 * </ul>
 *
 * Every match is thus an event of {@code visible_events} (changeset 2026-12-08-01), the one
 * definition of what no stream lifecycle rule hides: a query's page and an append condition never
 * see a hidden event, from the transaction after the rule committed. The probe is a {@code LATERAL
 * (… LIMIT 1)} subquery so that it stays a nested loop, one primary-key probe of the event and one
 * of {@code streams_with_lifecycle} per index entry, inside the scan that stops after {@code limit}
 * matches: written as a join, the planner (PostgreSQL 15, a type or tag on a third of the events)
 * merge-joined the whole of {@code events_pkey} from position 1 instead, or scanned it with a
 * filter in place of the type's index (docs/tags-and-queries.md shows the plans).
 *
 * <p>The items' rows are merged in position order; an event matching several items counts once, for
 * the lowest item.
 */
final class MatchingStatement {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

    /**
     * @param upTo the highest position to consider, or null for no bound
     * @param limit how many matching positions at most
     */
    MatchingStatement(Tenant tenant, EventQuery query, long after, Long upTo, int limit) {
        sql.append("SELECT p, min(item) FROM (");
        for (int i = 0; i < query.items().size(); i++) {
            if (i > 0) {
                sql.append(" UNION ALL ");
            }
            QueryItem item = query.items().get(i);
            if (item.tags().isEmpty()) {
                typesOnly(tenant, item, i, after, upTo, limit);
            } else {
                tagged(tenant, item, i, after, upTo, limit);
            }
        }
        sql.append(") m GROUP BY p ORDER BY p LIMIT ?");
        parameters.add(limit);
    }

    private void tagged(
            Tenant tenant, QueryItem item, int index, long after, Long upTo, int limit) {
        sql.append("(SELECT t.global_position AS p, ")
                .append(index)
                .append(" AS item FROM event_tags t CROSS JOIN LATERAL (SELECT 1 FROM")
                .append(" visible_events e WHERE e.tenant = t.tenant")
                .append(" AND e.global_position = t.global_position");
        if (!item.types().isEmpty()) {
            sql.append(" AND e.type = ANY (?)");
            parameters.add(item.types().toArray(new String[0]));
        }
        if (item.tags().size() > 1) {
            sql.append(" AND e.tags @> ?::jsonb");
            parameters.add(
                    new String(
                            EventJson.stringArray(item.tags().subList(1, item.tags().size())),
                            StandardCharsets.UTF_8));
        }
        sql.append(" LIMIT 1) visible WHERE t.tenant = ? AND t.tag = ? AND t.global_position > ?");
        parameters.add(tenant.value());
        parameters.add(item.tags().get(0));
        parameters.add(after);
        if (upTo != null) {
            sql.append(" AND t.global_position <= ?");
            parameters.add(upTo);
        }
        sql.append(" ORDER BY t.global_position LIMIT ?)");
        parameters.add(limit);
    }

    private void typesOnly(
            Tenant tenant, QueryItem item, int index, long after, Long upTo, int limit) {
        sql.append("(SELECT x.p, ")
                .append(index)
                .append(" AS item FROM unnest(?::text[]) AS ty(type) CROSS JOIN LATERAL")
                .append(" (SELECT e.global_position AS p FROM events e CROSS JOIN LATERAL")
                .append(" (SELECT 1 FROM visible_events v WHERE v.tenant = e.tenant")
                .append(" AND v.global_position = e.global_position LIMIT 1) visible")
                .append(" WHERE e.tenant = ? AND e.type = ty.type AND e.global_position > ?");
        parameters.add(item.types().toArray(new String[0]));
        parameters.add(tenant.value());
        parameters.add(after);
        if (upTo != null) {
            sql.append(" AND e.global_position <= ?");
            parameters.add(upTo);
        }
        sql.append(" ORDER BY e.global_position LIMIT ?) x)");
        parameters.add(limit);
    }

    /** The statement, prepared on {@code connection} with its parameters bound. */
    PreparedStatement prepare(Connection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql.toString());
        try {
            for (int i = 0; i < parameters.size(); i++) {
                Object value = parameters.get(i);
                if (value instanceof String[] texts) {
                    statement.setArray(i + 1, connection.createArrayOf("text", texts));
                } else {
                    statement.setObject(i + 1, value);
                }
            }
            return statement;
        } catch (SQLException failed) {
            statement.close();
            throw failed;
        }
    }
}
