package io.arbor.web.api;

import io.arbor.domain.AppendOutcome;
import io.arbor.domain.AppendResult;
import io.arbor.domain.EventJson;
import io.arbor.domain.GlobalLogPage;
import io.arbor.domain.OutgoingEvent;
import io.arbor.domain.Snapshot;
import io.arbor.domain.StreamDetails;
import io.arbor.domain.StreamInfo;
import io.arbor.domain.StreamMetadata;
import io.arbor.domain.StreamSlice;
import io.arbor.domain.SubscriptionFilter;
import io.arbor.domain.archive.ArchiveJob;
import io.arbor.domain.archive.ArchiveRange;
import io.arbor.domain.groups.Delivery;
import io.arbor.domain.groups.GroupSettings;
import io.arbor.domain.groups.GroupStatus;
import io.arbor.domain.groups.ParkedEvent;
import io.arbor.domain.scavenging.ScavengeJob;
import java.time.Instant;
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

    /** Where a multi-stream append's events landed: each written stream's versions, the block. */
    static String appendOutcome(AppendOutcome outcome) {
        return JsonText.object()
                .rawArray(
                        "streams",
                        outcome.streams().stream()
                                .map(
                                        stream ->
                                                JsonText.object()
                                                        .string(
                                                                "streamId",
                                                                stream.streamId().value())
                                                        .number("fromVersion", stream.fromVersion())
                                                        .number("toVersion", stream.toVersion())
                                                        .toString())
                                .toList())
                .number("fromPosition", outcome.fromPosition())
                .number("toPosition", outcome.toPosition())
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

    /** {@code GET /streams/{id}}: the stream's head. */
    /**
     * {@code GET /streams/{id}}: the head, the first visible version, and the hash the chain
     * continues from (docs/lifecycle.md).
     */
    static String info(StreamDetails details) {
        return head(details).toString();
    }

    /** The stream's head and its latest snapshot. */
    static String info(StreamDetails details, Snapshot latest) {
        return head(details).raw("snapshot", snapshot(latest)).toString();
    }

    private static JsonText head(StreamDetails details) {
        return streamInfo(details.info(), false)
                .number("firstVersion", details.firstVersion())
                .string("previousHash", details.previousHash());
    }

    /** A listing page; {@code next} is the last id when the page is full (more may follow). */
    static String streamList(List<StreamInfo> streams, int limit) {
        List<String> rows =
                streams.stream().map(info -> streamInfo(info, true).toString()).toList();
        String next =
                streams.size() == limit ? streams.get(streams.size() - 1).streamId().value() : null;
        return JsonText.object().rawArray("streams", rows).string("next", next).toString();
    }

    /** A stream's head; a listing's row also names its category, after the id. */
    private static JsonText streamInfo(StreamInfo info, boolean withCategory) {
        JsonText json = JsonText.object().string("streamId", info.streamId().value());
        if (withCategory) {
            json.string("category", info.streamId().category());
        }
        return json.number("version", info.version())
                .string("createdAt", info.createdAt().toString())
                .string("updatedAt", info.updatedAt().toString());
    }

    static byte[] globalLog(GlobalLogPage page) {
        EventJson out = new EventJson(128 + page.events().size() * 320);
        out.ascii("{\"events\":");
        events(out, page.events());
        out.ascii(",\"lastPosition\":").number(page.lastPosition());
        out.ascii(",\"headPosition\":").number(page.headPosition());
        return out.ascii("}").toByteArray();
    }

    /** A stream's metadata: every member, a rule that is not set as null. */
    static String metadata(StreamMetadata metadata) {
        return JsonText.object()
                .number("maxAge", metadata.maxAge())
                .number("maxCount", metadata.maxCount())
                .number("truncateBefore", metadata.truncateBefore())
                .raw("custom", metadata.custom())
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

    /** A consumer group's settings and where it stands (docs/consumer-groups.md's GROUP). */
    static String group(GroupStatus status) {
        GroupSettings settings = status.settings();
        SubscriptionFilter filter = settings.filter();
        String filterJson =
                JsonText.object()
                        .string("category", filter.category())
                        .string("type", filter.type())
                        .string("streamId", filter.isStream() ? filter.stream().value() : null)
                        .toString();
        List<String> consumers =
                status.consumers().stream()
                        .map(
                                consumer ->
                                        JsonText.object()
                                                .string("consumer", consumer.consumer())
                                                .number("inFlight", consumer.inFlight())
                                                .string("lastSeen", consumer.lastSeen().toString())
                                                .toString())
                        .toList();
        return JsonText.object()
                .string("group", status.group().value())
                .raw("filter", filterJson)
                .string("strategy", settings.strategy().text())
                .number("maxRetries", settings.maxRetries())
                .number("ackTimeoutSeconds", settings.ackTimeoutSeconds())
                .number("maxInFlight", settings.maxInFlight())
                .number("checkpoint", status.checkpoint())
                .number("headPosition", status.headPosition())
                .number("lag", status.lag())
                .number("inFlight", status.inFlight())
                .number("parked", status.parked())
                .rawArray("consumers", consumers)
                .string("createdAt", status.createdAt().toString())
                .toString();
    }

    static String groups(List<GroupStatus> groups) {
        return JsonText.object()
                .rawArray("groups", groups.stream().map(Representations::group).toList())
                .toString();
    }

    /** A fetch's answer: each event with its {@code deliveryAttempt}. */
    static byte[] deliveries(List<Delivery> deliveries) {
        EventJson out = new EventJson(32 + deliveries.size() * 360);
        out.ascii("{\"events\":[");
        for (int i = 0; i < deliveries.size(); i++) {
            if (i > 0) {
                out.ascii(",");
            }
            Delivery delivery = deliveries.get(i);
            delivery.event().writeJson(out);
            out.reopenObject().ascii(",\"deliveryAttempt\":").number(delivery.deliveryAttempt());
            out.ascii("}");
        }
        return out.ascii("]}").toByteArray();
    }

    /** A page of parked events; {@code next} is the last position when the page is full. */
    static byte[] parked(List<ParkedEvent> page, int limit) {
        EventJson out = new EventJson(32 + page.size() * 420);
        out.ascii("{\"events\":[");
        for (int i = 0; i < page.size(); i++) {
            if (i > 0) {
                out.ascii(",");
            }
            ParkedEvent parked = page.get(i);
            parked.event().writeJson(out);
            out.reopenObject().ascii(",\"deliveryAttempt\":").number(parked.deliveryAttempts());
            out.ascii(",\"parkedAt\":\"").ascii(parked.parkedAt().toString());
            out.ascii("\",\"parkReason\":\"").ascii(parked.reason()).ascii("\"}");
        }
        out.ascii("],\"next\":");
        if (page.size() == limit) {
            out.number(page.get(page.size() - 1).event().globalPosition());
        } else {
            out.ascii("null");
        }
        return out.ascii("}").toByteArray();
    }

    /**
     * A scavenge job: its state, times (null until they happen), what it removed so far, and the
     * streams with rules it has yet to walk (null once it ended); a failed job says why.
     */
    static String scavengeJob(ScavengeJob job) {
        return JsonText.object()
                .string("jobId", job.jobId().toString())
                .string("state", job.state().value())
                .string("requestedAt", instant(job.requestedAt()))
                .string("startedAt", instant(job.startedAt()))
                .string("finishedAt", instant(job.finishedAt()))
                .number("streamsScanned", job.streamsScanned())
                .number("streamsRemaining", job.streamsRemaining())
                .number("eventsRemoved", job.eventsRemoved())
                .number("snapshotsRemoved", job.snapshotsRemoved())
                .number("batches", job.batches())
                .string("failure", job.failure())
                .toString();
    }

    /** One range of the archive catalogue ({@code GET /admin/archive}). */
    static String archiveRange(ArchiveRange range) {
        return JsonText.object()
                .number("from", range.from())
                .number("to", range.to())
                .string("state", range.state().text())
                .string("stateChangedAt", instant(range.stateChangedAt()))
                .number("events", range.events())
                .number("bytes", range.bytes())
                .string("sha256", range.sha256())
                .string("maxRecordedAt", instant(range.maxRecordedAt()))
                .toString();
    }

    /** An archiver job: what it was asked, its state, what it did; a failed job says why. */
    static String archiveJob(ArchiveJob job) {
        return JsonText.object()
                .string("jobId", job.jobId().toString())
                .string("kind", job.kind())
                .string("state", job.state())
                .number("position", job.position())
                .string("requestedAt", instant(job.requestedAt()))
                .string("finishedAt", instant(job.finishedAt()))
                .number("archived", job.archived())
                .number("detached", job.detached())
                .number("restored", job.restored())
                .number("skipped", job.skipped())
                .number("events", job.events())
                .string("failure", job.failure())
                .toString();
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
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
