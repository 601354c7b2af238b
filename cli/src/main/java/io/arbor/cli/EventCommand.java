package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.RecordedEvent;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code arbor event show EVENT-ID}. */
@Command(
        name = "event",
        description = "One event.",
        mixinStandardHelpOptions = true,
        subcommands = {EventCommand.Show.class})
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
                                        + " (schema %d)%nrecorded  %s%ndata      %s%nmetadata  %s%n",
                                event.eventId(),
                                event.streamId(),
                                event.version(),
                                event.globalPosition(),
                                event.type(),
                                event.schemaVersion(),
                                event.recordedAt(),
                                pretty(event.data()).replace("\n", "\n          "),
                                pretty(event.metadata()).replace("\n", "\n          "));
            }
            common.out().flush();
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
