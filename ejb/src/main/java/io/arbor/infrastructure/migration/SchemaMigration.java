package io.arbor.infrastructure.migration;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * Brings the schema up to date when Arbor is deployed, before it serves a request. Applying the
 * changelog on deploy (rather than from a separate step) means the schema always matches the code
 * that runs on it, on every instance and in every test deployment; Liquibase's change-log lock
 * makes concurrent deploys of several instances take turns. A failed migration fails the deploy.
 */
@Singleton
@Startup
public class SchemaMigration {
    /** The master changelog, shipped in the arbor-liquibase jar in the EAR's lib/. */
    public static final String CHANGELOG = "db/changelog.xml";

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = "jdbc/arbor")
    private DataSource dataSource;

    // Liquibase commits its own work, which a JTA transaction would forbid.
    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void migrate() {
        try (Connection connection = dataSource.getConnection()) {
            // No usage reporting: the store runs on closed networks and must not wait on one.
            Scope.child(
                    Map.of("liquibase.analytics.enabled", false, "liquibase.showBanner", false),
                    () -> update(connection));
            LOG.info("Schema is up to date");
        } catch (Exception failure) {
            throw new IllegalStateException(
                    "Schema migration failed: " + failure.getMessage(), failure);
        }
    }

    private static void update(Connection connection) throws LiquibaseException, SQLException {
        Database database =
                DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(connection));
        Liquibase liquibase =
                new Liquibase(
                        CHANGELOG,
                        new ClassLoaderResourceAccessor(SchemaMigration.class.getClassLoader()),
                        database);
        liquibase.update(new Contexts(), new LabelExpression());
    }
}
