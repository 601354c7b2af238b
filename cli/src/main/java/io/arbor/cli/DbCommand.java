package io.arbor.cli;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
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
import picocli.CommandLine.Model.CommandSpec;
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

    /** Where a db command prints, and whether as JSON. */
    static final class Output {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        @Option(
                names = "--json",
                description =
                        "Print JSON: one object (status, update, rollback, tag), or one per"
                                + " changeset (history)")
        boolean json;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** Prints {@code text} for people or {@code object} with --json. */
        void print(String text, JsonObject object) {
            out().println(json ? object.toString() : text);
            out().flush();
        }
    }

    /** A changeset not yet applied. */
    record Pending(String id, String author, String file) {
        static Pending of(ChangeSet changeSet) {
            return new Pending(changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath());
        }
    }

    /**
     * A row of databasechangelog: a changeset applied, in order, maybe tagged. {@code at} is the
     * column as stored: a timestamp without time zone (the database server's clock).
     */
    record Applied(int order, String id, String author, String file, Timestamp at, String tag) {}

    /** {@code db status}: a line per pending changeset and a count; one object with --json. */
    static void printStatus(Output output, List<Pending> pending) {
        PrintWriter out = output.out();
        if (output.json) {
            JsonArrayBuilder list = Json.createArrayBuilder();
            pending.forEach(
                    p ->
                            list.add(
                                    Json.createObjectBuilder()
                                            .add("id", p.id())
                                            .add("author", p.author())
                                            .add("file", p.file())));
            out.println(
                    Json.createObjectBuilder()
                            .add("pending", pending.size())
                            .add("changesets", list)
                            .build());
        } else {
            pending.forEach(p -> out.println("pending  " + p.id() + "  (" + p.file() + ")"));
            out.println(pending.size() + " changeset(s) pending");
        }
        out.flush();
    }

    /** {@code db history}: a table, or one object per applied changeset with --json. */
    static void printHistory(Output output, List<Applied> applied) {
        PrintWriter out = output.out();
        if (output.json) {
            for (Applied a : applied) {
                JsonObjectBuilder row =
                        Json.createObjectBuilder()
                                .add("order", a.order())
                                .add("id", a.id())
                                .add("author", a.author())
                                .add("file", a.file());
                if (a.at() == null) {
                    row.addNull("appliedAt");
                } else {
                    row.add("appliedAt", a.at().toLocalDateTime().toString());
                }
                if (a.tag() == null) {
                    row.addNull("tag");
                } else {
                    row.add("tag", a.tag());
                }
                out.println(row.build());
            }
            out.flush();
            return;
        }
        Table table = new Table("#", "CHANGESET", "APPLIED", "TAG");
        applied.forEach(a -> table.row(a.order(), a.id(), a.at(), a.tag()));
        table.print(out);
    }

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
        @Mixin Output output;

        @Override
        public Integer call() throws Exception {
            List<Pending> pending =
                    withLiquibase(
                            db,
                            (lb, c) ->
                                    lb
                                            .listUnrunChangeSets(
                                                    new Contexts(), new LabelExpression())
                                            .stream()
                                            .map(Pending::of)
                                            .toList());
            printStatus(output, pending);
            return 0;
        }
    }

    @Command(
            name = "update",
            mixinStandardHelpOptions = true,
            description = "Apply every pending changeset (what a deploy does).")
    static final class Update implements Callable<Integer> {
        @Mixin DbOptions db;
        @Mixin Output output;

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
            output.print(
                    "applied " + applied + " changeset(s)",
                    Json.createObjectBuilder().add("applied", applied).build());
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
        @Mixin Output output;

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
            JsonObjectBuilder json = Json.createObjectBuilder().add("dryRun", dryRun);
            if (target.count != null) {
                json.add("count", target.count);
            } else {
                json.add("toTag", target.tag);
            }
            if (dryRun) {
                if (output.json) {
                    output.print(null, json.add("sql", sql).build());
                } else {
                    output.out().print(sql);
                    output.out().flush();
                }
            } else {
                output.print(
                        "rolled back "
                                + (target.count != null
                                        ? target.count + " changeset(s)"
                                        : "to tag " + target.tag),
                        json.build());
            }
            return 0;
        }
    }

    @Command(
            name = "tag",
            mixinStandardHelpOptions = true,
            description = "Tag the database's current schema state (before an upgrade).")
    static final class Tag implements Callable<Integer> {
        @Mixin DbOptions db;
        @Mixin Output output;

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
            output.print("tagged " + tag, Json.createObjectBuilder().add("tagged", tag).build());
            return 0;
        }
    }

    @Command(
            name = "history",
            mixinStandardHelpOptions = true,
            description = "List the changesets applied to the database, oldest first, with tags.")
    static final class History implements Callable<Integer> {
        @Mixin DbOptions db;
        @Mixin Output output;

        @Override
        public Integer call() throws Exception {
            List<Applied> applied = new ArrayList<>();
            try (Connection connection = db.connect();
                    Statement statement = connection.createStatement();
                    ResultSet rows =
                            statement.executeQuery(
                                    "SELECT orderexecuted, id, author, filename, dateexecuted, tag"
                                            + " FROM databasechangelog ORDER BY orderexecuted")) {
                while (rows.next()) {
                    applied.add(
                            new Applied(
                                    rows.getInt(1),
                                    rows.getString(2),
                                    rows.getString(3),
                                    rows.getString(4),
                                    rows.getTimestamp(5),
                                    rows.getString(6)));
                }
            }
            printHistory(output, applied);
            return 0;
        }
    }
}
