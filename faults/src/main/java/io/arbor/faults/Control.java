package io.arbor.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The faults themselves: {@code faults/ctl.sh} for the processes (the suite's own Payara domain and
 * its own PostgreSQL cluster, never the shared ones), JDBC for terminating backends.
 */
public final class Control {
    private final Path ctl;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String ownerUser;
    private final String ownerPassword;

    /**
     * @param user the application's role (row-level security applies)
     * @param ownerUser the tables' owner (bypasses row-level security): only the {@code scavenge}
     *     scenario's retention rules are written with it
     */
    public Control(
            Path ctl,
            String jdbcUrl,
            String user,
            String password,
            String ownerUser,
            String ownerPassword) {
        this.ctl = ctl;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.ownerUser = ownerUser;
        this.ownerPassword = ownerPassword;
    }

    /** Runs {@code ctl.sh COMMAND}; its output goes to ours, prefixed. */
    public void run(String command) {
        try {
            Process p =
                    new ProcessBuilder(ctl.toString(), command).redirectErrorStream(true).start();
            try (BufferedReader r =
                    new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("    ctl " + command + ": " + line);
                }
            }
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IllegalStateException("faults/ctl.sh " + command + " exited with " + rc);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + ctl + " " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: ctl.sh " + command, e);
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** A connection as the tables' owner, which bypasses row-level security. */
    public Connection connectOwner() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, ownerUser, ownerPassword);
    }

    /**
     * A connection, in a transaction, that reads the rows of every tenant. Row-level security
     * (issue 16) shows Arbor's role no rows until a transaction names its tenant, or the store-wide
     * scope, which allows reading only; the setting ends with the transaction.
     */
    public Connection connectStoreWide() throws SQLException {
        Connection c = connect();
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SELECT set_config('arbor.scope', 'store', true)");
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Whether PostgreSQL accepts a connection now (not while it starts up or recovers from a crash:
     * it refuses those), trying for at most about two seconds.
     */
    public boolean acceptsConnections() {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "2");
        p.setProperty("loginTimeout", "2");
        p.setProperty("socketTimeout", "2");
        try (Connection c = DriverManager.getConnection(jdbcUrl, p)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * {@code pg_terminate_backend} on every connection Arbor's pool holds (application name {@code
     * arbor-...}, set by the pool) as our own role, so no superuser is needed. The owner's pool
     * (migrations at deploy, issue 16) belongs to another role, which this one may not signal.
     *
     * @return how many backends were terminated
     */
    public int terminateArborBackends() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                                        + " FROM pg_stat_activity WHERE datname = current_database()"
                                        + " AND pid <> pg_backend_pid() AND usename = current_user"
                                        + " AND application_name LIKE 'arbor-%'")) {
            r.next();
            return r.getInt(1);
        }
    }
}
