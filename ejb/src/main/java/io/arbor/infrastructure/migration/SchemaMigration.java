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
import java.util.regex.Pattern;
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
 *
 * <p>It runs as the tables' owner ({@code jdbc/arbor-owner}, a pool of its own), not as the
 * application's role ({@code jdbc/arbor}), which owns nothing and cannot bypass row-level security
 * (docs/security.md). The changesets grant the application's role its row privileges; its name, the
 * user of {@code jdbc/arbor}, is the changelog parameter {@code arbor.app-role}.
 */
@Singleton
@Startup
public class SchemaMigration {
    /** The master changelog, shipped in the arbor-liquibase jar in the EAR's lib/. */
    public static final String CHANGELOG = "db/changelog.xml";

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    /** A PostgreSQL role name that needs no quoting in a GRANT. */
    private static final Pattern PLAIN_ROLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    @Resource(lookup = "jdbc/arbor-owner")
    private DataSource ownerDataSource;

    @Resource(lookup = "jdbc/arbor")
    private DataSource applicationDataSource;

    // Liquibase commits its own work, which a JTA transaction would forbid.
    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void migrate() {
        try (Connection connection = ownerDataSource.getConnection()) {
            String applicationRole = applicationRole();
            // No usage reporting: the store runs on closed networks and must not wait on one.
            Scope.child(
                    Map.of("liquibase.analytics.enabled", false, "liquibase.showBanner", false),
                    () -> update(connection, applicationRole));
            LOG.info("Schema is up to date");
        } catch (Exception failure) {
            throw new IllegalStateException(
                    "Schema migration failed: " + failure.getMessage(), failure);
        }
    }

    /** The role the application connects as: the user of {@code jdbc/arbor}. */
    private String applicationRole() throws SQLException {
        try (Connection connection = applicationDataSource.getConnection()) {
            String role = connection.getMetaData().getUserName();
            if (!PLAIN_ROLE.matcher(role).matches()) {
                throw new IllegalStateException(
                        "The application's database user must be a plain lower-case role name"
                                + " (the changesets grant to it unquoted), not "
                                + role);
            }
            return role;
        }
    }

    private static void update(Connection connection, String applicationRole)
            throws LiquibaseException, SQLException {
        Database database =
                DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(connection));
        Liquibase liquibase =
                new Liquibase(
                        CHANGELOG,
                        new ClassLoaderResourceAccessor(SchemaMigration.class.getClassLoader()),
                        database);
        liquibase.setChangeLogParameter("arbor.app-role", applicationRole);
        liquibase.update(new Contexts(), new LabelExpression());
    }
}
