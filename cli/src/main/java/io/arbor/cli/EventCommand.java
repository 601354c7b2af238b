package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.EventQuery;
import io.arbor.client.QueryItem;
import io.arbor.client.RecordedEvent;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code arbor event show EVENT-ID}, {@code arbor event query --tag T… [--type T…]}. */
@Command(
        name = "event",
        description = "One event.",
        mixinStandardHelpOptions = true,
        subcommands = {EventCommand.Show.class, EventCommand.Query.class})
final class EventCommand {

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show one event, found by its id, with its data and metadata.")
    static final class Show implements Callable<Integer> {
        @Mixin Common common;

        @Parameters(paramLabel = "EVENT-ID", description = "the event's UUID")
        UUID eventId;

        @Override
        public Integer call() {
            RecordedEvent event = common.client().event(eventId);
            if (common.json) {
                common.out().println(ArborClient.toJson(event));
            } else {
                common.out()
                        .printf(
                                "event     %s%nstream    %s (version %d)%nposition  %d%ntype      %s"
                                        + " (schema %d)%nrecorded  %s%ntags      %s%ndata      %s%n"
                                        + "metadata  %s%n",
                                event.eventId(),
                                event.streamId(),
                                event.version(),
                                event.globalPosition(),
                                event.type(),
                                event.schemaVersion(),
                                event.recordedAt(),
                                String.join(", ", event.tags()),
                                pretty(event.data()).replace("\n", "\n          "),
                                pretty(event.metadata()).replace("\n", "\n          "));
            }
            common.out().flush();
            return 0;
        }
    }

    @Command(
            name = "query",
            mixinStandardHelpOptions = true,
            description = {
                "Print the events that carry every --tag (and are of one of the --type values,"
                        + " when given), in position order after --after (POST /events/query,"
                        + " one item), at most --limit of them."
            })
    static final class Query implements Callable<Integer> {
        @Mixin Common common;

        @Option(
                names = "--tag",
                description = "a tag the events carry (repeat: events carrying all of them)")
        List<String> tags = new ArrayList<>();

        @Option(names = "--type", description = "an event type (repeat: any of them)")
        List<String> types = new ArrayList<>();

        @Option(names = "--after", description = "start after this global position (default 0)")
        long after;

        @Option(names = "--limit", description = "print at most this many events (default 100)")
        long limit = 100;

        @Override
        public Integer call() {
            if (tags.isEmpty() && types.isEmpty()) {
                throw new IllegalArgumentException("give at least one --tag or --type");
            }
            if (limit < 1) {
                throw new IllegalArgumentException("--limit is 1 or more");
            }
            EventQuery query = EventQuery.of(new QueryItem(types, tags));
            try (Stream<RecordedEvent> events = common.client().query(query, after)) {
                Render.events(common, events.limit(limit).toList());
            }
            return 0;
        }
    }

    static String pretty(JsonObject json) {
        if (json.isEmpty()) {
            return "{}";
        }
        StringWriter text = new StringWriter();
        try (JsonGenerator generator =
                Json.createGeneratorFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true))
                        .createGenerator(text)) {
            generator.write(json);
        }
        return text.toString().strip();
    }
}
