package io.arbor.client;

import io.arbor.spi.EventHash;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An event as stored (api.md, EVENT).
 *
 * @param eventId the event's id
 * @param streamId the stream it belongs to
 * @param version its version in that stream, from 1, without gaps
 * @param globalPosition its position in the global log (increasing; gaps allowed)
 * @param type the event's type
 * @param schemaVersion the version of the type's schema
 * @param data the payload
 * @param metadata the metadata ({@code {}} when none was given)
 * @param tags the event's tags in the writer's order ({@code []} when none)
 * @param recordedAt when it was committed (UTC)
 * @param writtenBy the {@code sub} of the token that appended it; null when it was appended without
 *     a token (security off) or before tokens
 * @param hash the event's hash in its stream's chain, 64 hex digits (docs/tamper-evidence.md); null
 *     for an event not chained yet, or from a server or an export before hash chains
 */
public record RecordedEvent(
        UUID eventId,
        String streamId,
        long version,
        long globalPosition,
        String type,
        int schemaVersion,
        JsonObject data,
        JsonObject metadata,
        List<String> tags,
        Instant recordedAt,
        String writtenBy,
        String hash) {

    public RecordedEvent {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** An event without tags. */
    public RecordedEvent(
            UUID eventId,
            String streamId,
            long version,
            long globalPosition,
            String type,
            int schemaVersion,
            JsonObject data,
            JsonObject metadata,
            Instant recordedAt,
            String writtenBy) {
        this(
                eventId,
                streamId,
                version,
                globalPosition,
                type,
                schemaVersion,
                data,
                metadata,
                List.of(),
                recordedAt,
                writtenBy,
                null);
    }

    /** The stream's category: the part of its id before the first {@code -}. */
    public String category() {
        return ArborClient.categoryOf(streamId);
    }

    /**
     * The hash this event's stored content gives after {@code previous}, the raw hash of the
     * stream's previous version ({@link EventHash#GENESIS} for version 1). Equal to {@link #hash}
     * for an intact event read in its stored form ({@link ArborClient.Builder#storedForm}).
     */
    public byte[] computeHash(byte[] previous) {
        return EventHash.hash(
                previous,
                eventId,
                streamId,
                version,
                type,
                schemaVersion,
                data.toString(),
                metadata.toString(),
                tags);
    }
}
