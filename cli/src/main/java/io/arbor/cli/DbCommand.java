package io.arbor.cli;

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arbor db status|update|rollback|tag|history}: Arbor's Liquibase changelog (the one the EAR
 * applies at deploy, bundled in this jar) against a database.
 */
@Command(
        name = "db",
        mixinStandardHelpOptions = true,
        description = {
            "Schema migrations: the Liquibase changelog that Arbor applies when it is deployed.",
            "Roll back only with Arbor stopped or undeployed: a deploy applies every pending"
                    + " changeset again. See the README, \"Upgrade and rollback\"."
        },
        subcommands = {
            DbCommand.Status.class,
            DbCommand.Update.class,
            DbCommand.Rollback.class,
            DbCommand.Tag.class,
            DbCommand.History.class
        })
final class DbCommand {
    static final String CHANGELOG = "db/changelog.xml";

    /** Runs {@code work} with a Liquibase on the database, analytics and banner off. */
    interface Work<T> {
        T run(Liquibase liquibase, Connection connection) throws Exception;
    }

    static <T> T withLiquibase(DbOptions db, Work<T> work) throws Exception {
        try (Connection connection = db.connect()) {
            Object[] result = new Object[1];
            Scope.child(
                    Map.of("liquibase.analytics.enabled", false, "liquibase.showBanner", false),
                    () -> {
                        Database database =
                                DatabaseFactory.getInstance()
                                        .findCorrectDatabaseImplementation(
                                                new JdbcConnection(connection));
                        Liquibase liquibase =
                                new Liquibase(
                                        CHANGELOG,
                                        new ClassLoaderResourceAccessor(
                                                DbCommand.class.getClassLoader()),
                                        database);
                        result[0] = work.run(liquibase, connection);
                    });
            @SuppressWarnings("unchecked")
            T t = (T) result[0];
            return t;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "List the changesets not yet applied to the database.")
    static final class Status implements Callable<Integer> {
        @Mixin DbOptions db;
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<ChangeSet> pending =
                    withLiquibase(
                            db,
                            (lb, c) ->
                                    lb.listUnrunChangeSets(new Contexts(), new LabelExpression()));
            var out = spec.commandLine().getOut();
            pending.forEach(
                    cs -> out.println("pending  " + cs.getId() + "  (" + cs.getFilePath() + ")"));
            out.println(pending.size() + " changeset(s) pending");
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "update",
            mixinStandardHelpOptions = true,
            description = "Apply every pending changeset (what a deploy does).")
    static final class Update implements Callable<Integer> {
        @Mixin DbOptions db;
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            int applied =
                    withLiquibase(
                            db,
                            (lb, c) -> {
                                int n =
                                        lb.listUnrunChangeSets(
                                                        new Contexts(), new LabelExpression())
                                                .size();
                                lb.update(new Contexts(), new LabelExpression());
                                return n;
                            });
            spec.commandLine().getOut().println("applied " + applied + " changeset(s)");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description =
                    "Roll back the last N changesets, or every changeset applied after a tag,"
                            + " running each one's rollback. --dry-run prints the SQL instead.")
    static final class Rollback implements Callable<Integer> {
        @Mixin DbOptions db;
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        static final class Target {
            @Option(names = "--count", description = "roll back this many changesets")
            Integer count;

            @Option(names = "--to-tag", description = "roll back to this tag (see `db tag`)")
            String tag;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--dry-run", description = "print the rollback SQL, change nothing")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            if (target.count != null && target.count < 1) {
                throw new IllegalArgumentException("--count must be 1 or more");
            }
            String sql =
                    withLiquibase(
                            db,
                            (lb, c) -> {
                                StringWriter text = new StringWriter();
                                if (target.count != null) {
                                    if (dryRun) {
                                        lb.rollback(target.count, (String) null, text);
                                    } else {
                                        lb.rollback(target.count, (String) null);
                                    }
                                } else if (dryRun) {
                                    lb.rollback(target.tag, (String) null, text);
                                } else {
                                    lb.rollback(target.tag, (String) null);
                                }
                                return text.toString();
                            });
            var out = spec.commandLine().getOut();
            if (dryRun) {
                out.print(sql);
            } else {
                out.println(
                        "rolled back "
                                + (target.count != null
                                        ? target.count + " changeset(s)"
                                        : "to tag " + target.tag));
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "tag",
            mixinStandardHelpOptions = true,
            description = "Tag the database's current schema state (before an upgrade).")
    static final class Tag implements Callable<Integer> {
        @Mixin DbOptions db;
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "TAG")
        String tag;

        @Override
        public Integer call() throws Exception {
            withLiquibase(
                    db,
                    (lb, c) -> {
                        lb.tag(tag);
                        return null;
                    });
            spec.commandLine().getOut().println("tagged " + tag);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(
            name = "history",
            mixinStandardHelpOptions = true,
            description = "List the changesets applied to the database, oldest first, with tags.")
    static final class History implements Callable<Integer> {
        @Mixin DbOptions db;
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Table table = new Table("#", "CHANGESET", "APPLIED", "TAG");
            try (Connection connection = db.connect();
                    Statement statement = connection.createStatement();
                    ResultSet rows =
                            statement.executeQuery(
                                    "SELECT orderexecuted, id, dateexecuted, tag FROM"
                                            + " databasechangelog ORDER BY orderexecuted")) {
                while (rows.next()) {
                    table.row(
                            rows.getInt(1),
                            rows.getString(2),
                            rows.getTimestamp(3),
                            rows.getString(4));
                }
            }
            table.print(spec.commandLine().getOut());
            return 0;
        }
    }
}
