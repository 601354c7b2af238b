package io.arbor.web.api;

import io.arbor.domain.AppendResult;
import io.arbor.domain.GlobalLogPage;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.Snapshot;
import io.arbor.domain.StreamInfo;
import io.arbor.domain.StreamSlice;
import java.util.List;

/** The JSON bodies of api.md, one method per shape. */
final class Representations {
    private Representations() {}

    static String appendResult(AppendResult result) {
        return JsonText.object()
                .string("streamId", result.streamId().value())
                .number("fromVersion", result.fromVersion())
                .number("toVersion", result.toVersion())
                .number("fromPosition", result.fromPosition())
                .number("toPosition", result.toPosition())
                .toString();
    }

    static String event(RecordedEvent event) {
        return JsonText.object()
                .string("eventId", event.eventId().toString())
                .string("streamId", event.streamId().value())
                .number("version", event.version())
                .number("globalPosition", event.globalPosition())
                .string("type", event.type())
                .number("schemaVersion", event.schemaVersion())
                .raw("data", event.data())
                .raw("metadata", event.metadata())
                .string("recordedAt", event.recordedAt().toString())
                .toString();
    }

    static String slice(StreamSlice slice) {
        return JsonText.object()
                .string("streamId", slice.streamId().value())
                .number("version", slice.version())
                .rawArray("events", events(slice.events()))
                .number("next", slice.next().isPresent() ? slice.next().getAsLong() : null)
                .toString();
    }

    static String info(StreamInfo info) {
        return JsonText.object()
                .string("streamId", info.streamId().value())
                .number("version", info.version())
                .string("createdAt", info.createdAt().toString())
                .string("updatedAt", info.updatedAt().toString())
                .toString();
    }

    /** A listing page; {@code next} is the last id when the page is full (more may follow). */
    static String streamList(List<StreamInfo> streams, int limit) {
        List<String> rows =
                streams.stream()
                        .map(
                                info ->
                                        JsonText.object()
                                                .string("streamId", info.streamId().value())
                                                .string("category", info.streamId().category())
                                                .number("version", info.version())
                                                .string("createdAt", info.createdAt().toString())
                                                .string("updatedAt", info.updatedAt().toString())
                                                .toString())
                        .toList();
        String next =
                streams.size() == limit ? streams.get(streams.size() - 1).streamId().value() : null;
        return JsonText.object().rawArray("streams", rows).string("next", next).toString();
    }

    static String globalLog(GlobalLogPage page) {
        return JsonText.object()
                .rawArray("events", events(page.events()))
                .number("lastPosition", page.lastPosition())
                .toString();
    }

    static String snapshot(Snapshot snapshot) {
        return JsonText.object()
                .string("streamId", snapshot.streamId().value())
                .number("version", snapshot.version())
                .string("type", snapshot.type())
                .raw("data", snapshot.data())
                .string("createdAt", snapshot.createdAt().toString())
                .toString();
    }

    private static List<String> events(List<RecordedEvent> events) {
        return events.stream().map(Representations::event).toList();
    }
}
