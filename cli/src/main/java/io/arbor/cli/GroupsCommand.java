package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.ConsumerStatus;
import io.arbor.client.DeliveryStrategy;
import io.arbor.client.GroupFilter;
import io.arbor.client.GroupPutResult;
import io.arbor.client.GroupSettings;
import io.arbor.client.GroupStatus;
import io.arbor.client.LogPoint;
import io.arbor.client.ParkedEvent;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code arbor groups list|show|create|reset|parked|replay-parked|delete}: consumer groups
 * (docs/consumer-groups.md).
 */
@Command(
        name = "groups",
        description = "Consumer groups: server-side checkpoints shared by competing consumers.",
        mixinStandardHelpOptions = true,
        subcommands = {
            GroupsCommand.ListGroups.class,
            GroupsCommand.Show.class,
            GroupsCommand.Create.class,
            GroupsCommand.Reset.class,
            GroupsCommand.Parked.class,
            GroupsCommand.ReplayParked.class,
            GroupsCommand.Delete.class
        })
final class GroupsCommand {
    private GroupsCommand() {}

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the groups with their checkpoint, lag, leases and parked events.")
    static final class ListGroups implements Callable<Integer> {
        @Mixin Common common;

        @Override
        public Integer call() {
            List<GroupStatus> groups = common.client().listGroups();
            if (common.json) {
                groups.forEach(g -> common.out().println(json(g)));
            } else {
                Table table =
                        new Table(
                                "GROUP",
                                "FILTER",
                                "STRATEGY",
                                "CHECKPOINT",
                                "HEAD",
                                "LAG",
                                "IN-FLIGHT",
                                "PARKED",
                                "CONSUMERS");
                for (GroupStatus g : groups) {
                    table.row(
                            g.group(),
                            filter(g.filter()),
                            g.strategy().wire(),
                            g.checkpoint(),
                            g.headPosition(),
                            g.lag(),
                            g.inFlight(),
                            g.parked(),
                            g.consumers().size());
                }
                table.print(common.out());
                common.out().println(groups.size() + " group" + (groups.size() == 1 ? "" : "s"));
            }
            common.out().flush();
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show a group's settings, position and live consumers.")
    static final class Show implements Callable<Integer> {
        @Mixin Common common;

        @Parameters(paramLabel = "GROUP", description = "the group's name")
        String group;

        @Override
        public Integer call() {
            print(common, common.client().group(group), null);
            return 0;
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create a group, or change its settings (PUT: every setting not given returns to"
                        + " its default; the position is kept, --start-from counts only for a new"
                        + " group; a group's filter cannot change)."
            })
    static final class Create implements Callable<Integer> {
        @Mixin Common common;

        @Parameters(paramLabel = "GROUP", description = "the group's name")
        String group;

        @Option(names = "--category", description = "only events of this stream category")
        String category;

        @Option(names = "--type", description = "only events of this type")
        String type;

        @Option(
                names = "--stream",
                description = "only events of this stream (not with --category or --type)")
        String stream;

        @Option(
                names = "--start-from",
                paramLabel = "beginning|end|P",
                description = "where a new group starts (default: beginning)")
        String startFrom;

        @Option(
                names = "--strategy",
                paramLabel = "round-robin|pinned",
                description = "how events are spread over consumers (default: round-robin)")
        String strategy;

        @Option(
                names = "--max-retries",
                description = "redeliveries before an event is parked, 0 to 1000 (default: 10)")
        Integer maxRetries;

        @Option(
                names = "--ack-timeout",
                paramLabel = "SECONDS",
                description = "how long a lease lasts, 1 to 3600 s (default: 30)")
        Integer ackTimeout;

        @Option(
                names = "--max-in-flight",
                description = "events leased at once, 1 to 10000 (default: 1000)")
        Integer maxInFlight;

        @Override
        public Integer call() {
            GroupSettings settings =
                    GroupSettings.builder()
                            .filter(
                                    category == null && type == null && stream == null
                                            ? null
                                            : new GroupFilter(category, type, stream))
                            .startFrom(startFrom == null ? null : LogPoint.parse(startFrom))
                            .strategy(strategy == null ? null : DeliveryStrategy.of(strategy))
                            .maxRetries(maxRetries)
                            .ackTimeoutSeconds(ackTimeout)
                            .maxInFlight(maxInFlight)
                            .build();
            GroupPutResult result = common.client().putGroup(group, settings);
            print(common, result.group(), result.created() ? "created" : "updated (position kept)");
            return 0;
        }
    }

    @Command(
            name = "reset",
            mixinStandardHelpOptions = true,
            description =
                    "Move a group: its leases and pending deliveries are dropped and delivery"
                            + " resumes after the new position (rebuild a read model: --to"
                            + " beginning).")
    static final class Reset implements Callable<Integer> {
        @Mixin Common common;

        @Parameters(paramLabel = "GROUP", description = "the group's name")
        String group;

        @Option(
                names = "--to",
                required = true,
                paramLabel = "beginning|end|P",
                description = "the start of the log, its end, or just after position P")
        String to;

        @Override
        public Integer call() {
            LogPoint point = LogPoint.parse(to);
            print(common, common.client().resetGroup(group, point), "reset to " + point);
            return 0;
        }
    }

    @Command(
            name = "parked",
            mixinStandardHelpOptions = true,
            description = "List a group's parked events, in position order.")
    static final class Parked implements Callable<Integer> {
        @Mixin Common common;

        @Parameters(paramLabel = "GROUP", description = "the group's name")
        String group;

        @Option(names = "--limit", description = "at most this many (default: all)")
        long limit = Long.MAX_VALUE;

        @Override
        public Integer call() {
            PrintWriter out = common.out();
            Table table =
                    new Table(
                            "POSITION",
                            "STREAM",
                            "VERSION",
                            "TYPE",
                            "ATTEMPTS",
                            "PARKED",
                            "REASON",
                            "EVENT-ID");
            common.client()
                    .parked(group)
                    .limit(limit)
                    .forEach(
                            p -> {
                                if (common.json) {
                                    out.println(json(p));
                                } else {
                                    table.row(
                                            p.event().globalPosition(),
                                            p.event().streamId(),
                                            p.event().version(),
                                            p.event().type(),
                                            p.deliveryAttempt(),
                                            p.parkedAt(),
                                            p.parkReason(),
                                            p.event().eventId());
                                }
                            });
            if (!common.json) {
                table.print(out);
                out.println(table.size() + " parked event" + (table.size() == 1 ? "" : "s"));
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "replay-parked",
            mixinStandardHelpOptions = true,
            description =
                    "Deliver a group's parked events again (before newer ones); they leave the"
                            + " parked list.")
    static final class ReplayParked implements Callable<Integer> {
        @Mixin Common common;

        @Parameters(paramLabel = "GROUP", description = "the group's name")
        String group;

        @Override
        public Integer call() {
            int replayed = common.client().replayParked(group);
            report(
                    common,
                    Json.createObjectBuilder().add("group", group).add("replayed", replayed),
                    String.format(
                            "group %s: %d parked event%s replayed",
                            group, replayed, replayed == 1 ? "" : "s"));
            return 0;
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Delete a group with its leases and parked events.")
    static final class Delete implements Callable<Integer> {
        @Mixin Common common;

        @Parameters(paramLabel = "GROUP", description = "the group's name")
        String group;

        @Override
        public Integer call() {
            common.client().deleteGroup(group);
            report(
                    common,
                    Json.createObjectBuilder().add("group", group).add("deleted", true),
                    "group " + group + ": deleted");
            return 0;
        }
    }

    /** What a command did: one JSON object, or one line for people. */
    private static void report(Common common, JsonObjectBuilder json, String line) {
        common.out().println(common.json ? json.build().toString() : line);
        common.out().flush();
    }

    /**
     * A group, for people or as docs/consumer-groups.md's GROUP object; {@code what} (null: none)
     * says what the command did, as a first line or an {@code outcome} member.
     */
    private static void print(Common common, GroupStatus g, String what) {
        PrintWriter out = common.out();
        if (common.json) {
            JsonObjectBuilder json = Json.createObjectBuilder(json(g));
            if (what != null) {
                json.add("outcome", what);
            }
            out.println(json.build());
            out.flush();
            return;
        }
        if (what != null) {
            out.printf("group %s: %s%n", g.group(), what);
        }
        Table settings = new Table("GROUP", g.group());
        settings.row("filter", filter(g.filter()))
                .row("strategy", g.strategy().wire())
                .row("maxRetries", g.maxRetries())
                .row("ackTimeoutSeconds", g.ackTimeoutSeconds())
                .row("maxInFlight", g.maxInFlight())
                .row("checkpoint", g.checkpoint())
                .row("headPosition", g.headPosition())
                .row("lag", g.lag())
                .row("inFlight", g.inFlight())
                .row("parked", g.parked())
                .row("createdAt", g.createdAt());
        settings.print(out);
        Table consumers = new Table("CONSUMER", "IN-FLIGHT", "LAST-SEEN");
        g.consumers().forEach(c -> consumers.row(c.consumer(), c.inFlight(), c.lastSeen()));
        if (consumers.size() == 0) {
            out.println("no live consumers");
        } else {
            consumers.print(out);
        }
        out.flush();
    }

    /** A filter for a table cell: {@code category=a type=T}, {@code stream=s}, or {@code all}. */
    static String filter(GroupFilter f) {
        List<String> parts = new ArrayList<>();
        if (f.category() != null) {
            parts.add("category=" + f.category());
        }
        if (f.type() != null) {
            parts.add("type=" + f.type());
        }
        if (f.streamId() != null) {
            parts.add("stream=" + f.streamId());
        }
        return parts.isEmpty() ? "all" : String.join(" ", parts);
    }

    /** docs/consumer-groups.md's GROUP object. */
    static JsonObject json(GroupStatus g) {
        JsonObjectBuilder filter = Json.createObjectBuilder();
        nullable(filter, "category", g.filter().category());
        nullable(filter, "type", g.filter().type());
        nullable(filter, "streamId", g.filter().streamId());
        JsonArrayBuilder consumers = Json.createArrayBuilder();
        for (ConsumerStatus c : g.consumers()) {
            consumers.add(
                    Json.createObjectBuilder()
                            .add("consumer", c.consumer())
                            .add("inFlight", c.inFlight())
                            .add("lastSeen", c.lastSeen().toString()));
        }
        return Json.createObjectBuilder()
                .add("group", g.group())
                .add("filter", filter)
                .add("strategy", g.strategy().wire())
                .add("maxRetries", g.maxRetries())
                .add("ackTimeoutSeconds", g.ackTimeoutSeconds())
                .add("maxInFlight", g.maxInFlight())
                .add("checkpoint", g.checkpoint())
                .add("headPosition", g.headPosition())
                .add("lag", g.lag())
                .add("inFlight", g.inFlight())
                .add("parked", g.parked())
                .add("consumers", consumers)
                .add("createdAt", g.createdAt().toString())
                .build();
    }

    /** A parked event as the server lists it: the EVENT plus its attempts and when and why. */
    static JsonObject json(ParkedEvent p) {
        return Json.createObjectBuilder(ArborClient.toJson(p.event()))
                .add("deliveryAttempt", p.deliveryAttempt())
                .add("parkedAt", p.parkedAt().toString())
                .add("parkReason", p.parkReason())
                .build();
    }

    private static void nullable(JsonObjectBuilder json, String name, String value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, value);
        }
    }
}
