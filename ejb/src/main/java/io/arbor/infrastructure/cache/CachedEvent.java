package io.arbor.infrastructure.cache;

import io.arbor.domain.EventJson;
import io.arbor.domain.OutgoingEvent;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * An event the hot cache serves: a view into its chunk's bytes, written out as JSON by copying them
 * ({@link #writeJson}); decoded into a {@link RecordedEvent} only when upcasting must change it.
 */
final class CachedEvent implements OutgoingEvent {
    private final long idMost;
    private final long idLeast;
    private final StreamId stream;
    private final long version;
    private final long position;
    private final EventJson.Utf8 type;
    private final int schemaVersion;
    private final EventJson.Utf8 data;
    private final EventJson.Utf8 metadata;
    private final EventJson.Utf8 tags;
    private final EventJson.Utf8 recordedAt;
    private final EventJson.Utf8 writtenBy;
    private String typeName;

    CachedEvent(
            long idMost,
            long idLeast,
            StreamId stream,
            long version,
            long position,
            EventJson.Utf8 type,
            int schemaVersion,
            EventJson.Utf8 data,
            EventJson.Utf8 metadata,
            EventJson.Utf8 tags,
            EventJson.Utf8 recordedAt,
            EventJson.Utf8 writtenBy) {
        this.idMost = idMost;
        this.idLeast = idLeast;
        this.stream = stream;
        this.version = version;
        this.position = position;
        this.type = type;
        this.schemaVersion = schemaVersion;
        this.data = data;
        this.metadata = metadata;
        this.tags = tags;
        this.recordedAt = recordedAt;
        this.writtenBy = writtenBy;
    }

    @Override
    public String type() {
        if (typeName == null) {
            typeName = text(type);
        }
        return typeName;
    }

    @Override
    public int schemaVersion() {
        return schemaVersion;
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public long globalPosition() {
        return position;
    }

    @Override
    public RecordedEvent record() {
        return new RecordedEvent(
                new UUID(idMost, idLeast),
                stream,
                version,
                position,
                type(),
                schemaVersion,
                text(data),
                text(metadata),
                EventJson.parseStringArray(text(tags)),
                Instant.parse(text(recordedAt)),
                writtenBy == null ? null : text(writtenBy));
    }

    @Override
    public void writeJson(EventJson out) {
        out.event(
                idMost,
                idLeast,
                stream,
                version,
                position,
                type,
                schemaVersion,
                data,
                metadata,
                tags,
                recordedAt,
                writtenBy);
    }

    private static String text(EventJson.Utf8 utf8) {
        return new String(utf8.bytes(), utf8.offset(), utf8.length(), StandardCharsets.UTF_8);
    }
}
