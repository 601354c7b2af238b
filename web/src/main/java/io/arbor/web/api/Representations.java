package io.arbor.web.api;

import io.arbor.domain.AppendResult;
import io.arbor.domain.EventJson;
import io.arbor.domain.GlobalLogPage;
import io.arbor.domain.OutgoingEvent;
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

    /** One event (api.md's EVENT), written by {@link EventJson}, the one writer of that shape. */
    static byte[] event(OutgoingEvent event) {
        EventJson out = new EventJson(512);
        event.writeJson(out);
        return out.toByteArray();
    }

    static byte[] slice(StreamSlice slice) {
        EventJson out = new EventJson(128 + slice.events().size() * 320);
        out.ascii("{\"streamId\":").streamId(slice.streamId());
        out.ascii(",\"version\":").number(slice.version());
        out.ascii(",\"events\":");
        events(out, slice.events());
        out.ascii(",\"next\":");
        if (slice.next().isPresent()) {
            out.number(slice.next().getAsLong());
        } else {
            out.ascii("null");
        }
        return out.ascii("}").toByteArray();
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

    static byte[] globalLog(GlobalLogPage page) {
        EventJson out = new EventJson(128 + page.events().size() * 320);
        out.ascii("{\"events\":");
        events(out, page.events());
        out.ascii(",\"lastPosition\":").number(page.lastPosition());
        return out.ascii("}").toByteArray();
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

    private static void events(EventJson out, List<OutgoingEvent> events) {
        out.ascii("[");
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.ascii(",");
            }
            events.get(i).writeJson(out);
        }
        out.ascii("]");
    }
}
