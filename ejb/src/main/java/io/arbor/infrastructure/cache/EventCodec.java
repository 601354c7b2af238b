package io.arbor.infrastructure.cache;

import io.arbor.domain.EventJson;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamId;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A chunk of one stream's consecutive events as one {@code byte[]}: the count, then per event its
 * id, position and schema version, and its type, recording time (as {@link java.time.Instant}'s
 * text), data, metadata and writer as UTF-8, each with its length (the writer's -1 when there is
 * none). The stream and the versions are implied by the cache key, so they are not repeated. A JDK
 * type, so any grid member holds it without Arbor's classes; compact, because the cache's size per
 * hot stream bounds how many hot streams fit (about 200 bytes per event of 120-byte data). The
 * texts are kept as the bytes a response carries, so a cached event is written out with copies only
 * ({@link CachedEvent}), never decoded.
 */
final class EventCodec {
    /** The layout below; part of the cache's name, so a grid never mixes two layouts. */
    static final int FORMAT = 4;

    private EventCodec() {}

    static byte[] encode(List<RecordedEvent> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(events.size() * 220 + 4);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(events.size());
            for (RecordedEvent event : events) {
                out.writeLong(event.eventId().getMostSignificantBits());
                out.writeLong(event.eventId().getLeastSignificantBits());
                out.writeLong(event.globalPosition());
                out.writeInt(event.schemaVersion());
                writeText(out, EventJson.utf8Bytes(event.type()));
                writeText(out, EventJson.asciiBytes(event.recordedAt().toString()));
                writeText(out, EventJson.utf8Bytes(event.data()));
                writeText(out, EventJson.utf8Bytes(event.metadata()));
                writeText(out, EventJson.stringArray(event.tags()));
                if (event.writtenBy() == null) {
                    out.writeInt(-1);
                } else {
                    writeText(out, EventJson.utf8Bytes(event.writtenBy()));
                }
            }
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return bytes.toByteArray();
    }

    // Lengths are ints (writeUTF caps at 64 KiB): event data may be up to the 4 MiB body limit.
    private static void writeText(DataOutputStream out, byte[] utf8) throws IOException {
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    /** How many events a chunk holds, without decoding it. */
    static int count(byte[] chunk) {
        return int32(chunk, 0);
    }

    /**
     * Views of the first {@code limit} events of a chunk whose first event is {@code firstVersion}:
     * each one points into the chunk, nothing is copied or decoded.
     */
    static List<CachedEvent> events(byte[] chunk, StreamId stream, long firstVersion, int limit) {
        int count = Math.min(count(chunk), limit);
        List<CachedEvent> events = new ArrayList<>(count);
        int at = 4;
        for (int i = 0; i < count; i++) {
            long most = int64(chunk, at);
            long least = int64(chunk, at + 8);
            long position = int64(chunk, at + 16);
            int schemaVersion = int32(chunk, at + 24);
            at += 28;
            EventJson.Utf8 type = text(chunk, at);
            at = end(type);
            EventJson.Utf8 recordedAt = text(chunk, at);
            at = end(recordedAt);
            EventJson.Utf8 data = text(chunk, at);
            at = end(data);
            EventJson.Utf8 metadata = text(chunk, at);
            at = end(metadata);
            EventJson.Utf8 tags = text(chunk, at);
            at = end(tags);
            EventJson.Utf8 writtenBy = null;
            if (int32(chunk, at) < 0) {
                at += 4;
            } else {
                writtenBy = text(chunk, at);
                at = end(writtenBy);
            }
            events.add(
                    new CachedEvent(
                            most,
                            least,
                            stream,
                            firstVersion + i,
                            position,
                            type,
                            schemaVersion,
                            data,
                            metadata,
                            tags,
                            recordedAt,
                            writtenBy));
        }
        return events;
    }

    private static EventJson.Utf8 text(byte[] chunk, int at) {
        return new EventJson.Utf8(chunk, at + 4, int32(chunk, at));
    }

    private static int end(EventJson.Utf8 text) {
        return text.offset() + text.length();
    }

    private static int int32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24)
                | ((b[at + 1] & 0xff) << 16)
                | ((b[at + 2] & 0xff) << 8)
                | (b[at + 3] & 0xff);
    }

    private static long int64(byte[] b, int at) {
        return ((long) int32(b, at) << 32) | (int32(b, at + 4) & 0xffffffffL);
    }
}
