package io.arbor.infrastructure.cache;

import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A chunk of one stream's consecutive events as one {@code byte[]}: the count, then per event its
 * id, position, type, schema version, recording time (epoch microseconds) and the data and metadata
 * texts. The stream and the versions are implied by the cache key, so they are not repeated. A JDK
 * type, so any grid member holds it without Arbor's classes; compact, because the cache's size per
 * hot stream is what bounds how many hot streams fit (about 180 bytes per event of 120-byte data,
 * against about 300 as Java-serialized strings).
 */
final class EventCodec {
    private EventCodec() {}

    static byte[] encode(List<RecordedEvent> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(events.size() * 200 + 4);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(events.size());
            for (RecordedEvent event : events) {
                out.writeLong(event.eventId().getMostSignificantBits());
                out.writeLong(event.eventId().getLeastSignificantBits());
                out.writeLong(event.globalPosition());
                writeText(out, event.type());
                out.writeInt(event.schemaVersion());
                out.writeLong(ChronoUnit.MICROS.between(Instant.EPOCH, event.recordedAt()));
                writeText(out, event.data());
                writeText(out, event.metadata());
            }
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return bytes.toByteArray();
    }

    /** How many events a chunk holds, without decoding it. */
    static int count(byte[] chunk) {
        return ((chunk[0] & 0xff) << 24)
                | ((chunk[1] & 0xff) << 16)
                | ((chunk[2] & 0xff) << 8)
                | (chunk[3] & 0xff);
    }

    /** The first {@code limit} events of a chunk whose first event is {@code firstVersion}. */
    static List<RecordedEvent> decode(byte[] chunk, StreamId stream, long firstVersion, int limit) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(chunk))) {
            int count = Math.min(in.readInt(), limit);
            List<RecordedEvent> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                UUID id = new UUID(in.readLong(), in.readLong());
                long position = in.readLong();
                String type = readText(in);
                int schemaVersion = in.readInt();
                Instant recordedAt = Instant.EPOCH.plus(in.readLong(), ChronoUnit.MICROS);
                String data = readText(in);
                String metadata = readText(in);
                events.add(
                        new RecordedEvent(
                                id,
                                stream,
                                firstVersion + i,
                                position,
                                type,
                                schemaVersion,
                                data,
                                metadata,
                                recordedAt));
            }
            return events;
        } catch (IOException corrupt) {
            throw new UncheckedIOException(corrupt);
        }
    }

    // writeUTF caps strings at 64 KiB; event data may be up to the 4 MiB body limit.
    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readText(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
