package io.arbor.infrastructure.jpa;

import io.arbor.domain.StreamId;
import io.arbor.domain.StreamInfo;
import io.arbor.domain.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What a stream read takes from PostgreSQL when the data grid cannot vouch for it ({@link
 * io.arbor.application.StreamHeads}): the stream's head (so no instance answers an older version
 * than one acknowledged anywhere) and the schema registry's generation (so upcasting never uses a
 * registry older than an acknowledged change), both the tenant's; and, always, a stream's head with
 * its times ({@code GET /streams/{id}}). One primary-key statement over plain JDBC: it is the only
 * database work of a cached read whose heads the grid did not vouch for, so it is kept off
 * EclipseLink's query machinery and done in one round trip instead of two, on the EntityManager's
 * own connection: the transaction's, which carries the tenant setting ({@link TenantSetting}). A
 * tenant that never changed its registry has no generation row: generation 0, the empty registry.
 */
@ApplicationScoped
public class ReadProbe {
    private static final String PROBE =
            "SELECT s.version, s.created_at, s.updated_at, coalesce((SELECT r.generation FROM"
                    + " schema_registry r WHERE r.tenant = ?), 0) FROM (VALUES (1)) AS one LEFT"
                    + " JOIN streams s ON s.tenant = ? AND s.stream_id = ?";

    /** The stream's head (empty when it does not exist) and the registry generation. */
    public record Probe(Optional<StreamInfo> stream, long registryGeneration) {}

    @PersistenceContext(unitName = "arbor")
    private EntityManager em;

    @Inject TenantSetting tenantSetting;

    public Probe probe(Tenant tenant, StreamId stream) {
        tenantSetting.use(tenant);
        // The transaction's connection, borrowed: the transaction closes it, not this.
        Connection connection = em.unwrap(Connection.class);
        try (PreparedStatement select = connection.prepareStatement(PROBE)) {
            select.setString(1, tenant.value());
            select.setString(2, tenant.value());
            select.setString(3, stream.value());
            try (ResultSet row = select.executeQuery()) {
                row.next(); // always one row
                long version = row.getLong(1);
                Optional<StreamInfo> head =
                        row.wasNull()
                                ? Optional.empty()
                                : Optional.of(
                                        new StreamInfo(
                                                stream,
                                                version,
                                                row.getTimestamp(2).toInstant(),
                                                row.getTimestamp(3).toInstant()));
                return new Probe(head, row.getLong(4));
            }
        } catch (SQLException failed) {
            throw new StatementFailedException(failed);
        }
    }
}
