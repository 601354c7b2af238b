package io.arbor.infrastructure.migration;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Brings the schema up to date when Arbor is deployed, before it serves a request. Applying the
 * changelog on deploy (rather than from a separate step) means the schema always matches the code
 * that runs on it, on every instance and in every test deployment; Liquibase's change-log lock
 * makes concurrent deploys of several instances take turns. A failed migration fails the deploy.
 *
 * <p>It runs as the tables' owner ({@code jdbc/arbor-owner}, a pool of its own), not as the
 * application's role ({@code jdbc/arbor}), which owns nothing and cannot bypass row-level security
 * (docs/security.md). The changesets grant the row privileges to the group role {@code arbor_app},
 * of which the application's login role is a member. After migrating it checks that role ({@link
 * ApplicationRoleCheck}): a superuser, a role with {@code BYPASSRLS} or one that owns a tenant
 * table fails the deploy while security is on.
 *
 * <p>Between the two it chains the events stored before hash chains ({@link HashChainBackfill}):
 * hashes are computed in Java, which a SQL changeset cannot do; nothing left once every stream is
 * chained.
 */
@Singleton
@Startup
public class SchemaMigration {
    /** The master changelog, shipped in the arbor-liquibase jar in the EAR's lib/. */
    public static final String CHANGELOG = "db/changelog.xml";

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = "jdbc/arbor-owner")
    private DataSource ownerDataSource;

    @Resource(lookup = "jdbc/arbor")
    private DataSource applicationDataSource;

    // Liquibase commits its own work, which a JTA transaction would forbid.
    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void migrate() {
        try (Connection connection = ownerDataSource.getConnection()) {
            // No usage reporting: the store runs on closed networks and must not wait on one.
            Scope.child(
                    Map.of("liquibase.analytics.enabled", false, "liquibase.showBanner", false),
                    () -> update(connection));
            LOG.info("Schema is up to date");
            HashChainBackfill.run(connection);
        } catch (Exception failure) {
            throw new IllegalStateException(
                    "Schema migration failed: " + failure.getMessage(), failure);
        }
        checkApplicationRole();
    }

    /**
     * Refuses to deploy when the application's role would make row-level security void ({@link
     * ApplicationRoleCheck}).
     */
    private void checkApplicationRole() {
        boolean securityEnabled =
                ConfigProvider.getConfig()
                        .getOptionalValue("arbor.security.enabled", Boolean.class)
                        .orElse(true);
        ApplicationRoleCheck.Facts facts;
        try (Connection connection = applicationDataSource.getConnection()) {
            facts = facts(connection);
        } catch (SQLException failure) {
            throw new IllegalStateException(
                    "Could not check the application's database role: " + failure.getMessage(),
                    failure);
        }
        List<String> refusals = ApplicationRoleCheck.refusals(facts, securityEnabled);
        if (!refusals.isEmpty()) {
            String message = ApplicationRoleCheck.message(facts, refusals);
            LOG.severe(message);
            throw new IllegalStateException(message);
        }
        if (!securityEnabled && (facts.superuser() || facts.bypassesRowLevelSecurity())) {
            LOG.warning(
                    "Arbor's application role '"
                            + facts.role()
                            + "' bypasses row-level security (arbor.security.enabled=false)");
        }
    }

    private static ApplicationRoleCheck.Facts facts(Connection connection) throws SQLException {
        String role;
        boolean superuser;
        boolean bypasses;
        boolean member;
        try (PreparedStatement statement =
                        connection.prepareStatement(
                                "SELECT current_user, r.rolsuper, r.rolbypassrls, CASE WHEN EXISTS"
                                        + " (SELECT FROM pg_roles WHERE rolname = ?) THEN"
                                        + " pg_has_role(current_user, ?, 'USAGE') ELSE false END"
                                        + " FROM pg_roles r WHERE r.rolname = current_user");
                ResultSet row = bind(statement, ApplicationRoleCheck.APP_GROUP).executeQuery()) {
            row.next();
            role = row.getString(1);
            superuser = row.getBoolean(2);
            bypasses = row.getBoolean(3);
            member = row.getBoolean(4);
        }
        List<String> owned = new ArrayList<>();
        try (PreparedStatement statement =
                connection.prepareStatement(
                        "SELECT c.relname FROM pg_class c WHERE c.relkind IN ('r', 'p')"
                                + " AND c.relnamespace = to_regnamespace(current_schema())"
                                + " AND c.relname = ANY (?)"
                                + " AND pg_has_role(current_user, c.relowner, 'MEMBER')"
                                + " ORDER BY c.relname")) {
            statement.setArray(
                    1,
                    connection.createArrayOf("text", ApplicationRoleCheck.TENANT_TABLES.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    owned.add(rows.getString(1));
                }
            }
        }
        return new ApplicationRoleCheck.Facts(role, superuser, bypasses, owned, member);
    }

    private static PreparedStatement bind(PreparedStatement statement, String group)
            throws SQLException {
        statement.setString(1, group);
        statement.setString(2, group);
        return statement;
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
