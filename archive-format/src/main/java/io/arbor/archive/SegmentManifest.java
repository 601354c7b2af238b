package io.arbor.archive;

import static io.arbor.archive.JsonText.BUILDERS;
import static io.arbor.archive.JsonText.READERS;
import static io.arbor.archive.JsonText.number;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a segment's manifest says about its data file (docs/archive.md, "File format"): the range,
 * the events' count, tenants and recording times, the file's size and SHA-256, its blocks (each an
 * independent gzip member: where it is, its SHA-256, which positions it holds) and, per stream
 * present, the versions it holds and the blocks they are in. A segment exists when its manifest
 * does: the manifest is renamed into place last.
 *
 * @param name the range {@code [from, to)} and so the file names
 * @param events how many events the segment holds
 * @param tenants the tenants of those events, sorted
 * @param minRecordedAt the earliest {@code recordedAt}; null when the segment holds no event
 * @param maxRecordedAt the latest {@code recordedAt}; null when the segment holds no event
 * @param fileSize the data file's size in bytes
 * @param fileSha256 the data file's SHA-256, hex
 * @param blocks the data file's blocks in file (and position) order
 * @param streams each stream present, ordered by tenant then stream id
 */
public record SegmentManifest(
        SegmentName name,
        long events,
        List<String> tenants,
        Instant minRecordedAt,
        Instant maxRecordedAt,
        long fileSize,
        String fileSha256,
        List<Block> blocks,
        List<StreamRange> streams) {

    /** The manifest format this code writes and reads ({@code "arborArchive": 1}). */
    public static final int FORMAT = 1;

    public SegmentManifest {
        Objects.requireNonNull(name, "name");
        tenants = List.copyOf(tenants);
        blocks = List.copyOf(blocks);
        streams = List.copyOf(streams);
    }

    /**
     * One block: {@code length} bytes at {@code offset}, one gzip member holding {@code events}
     * lines, positions {@code firstPosition..lastPosition}.
     */
    public record Block(
            long offset,
            long length,
            int events,
            long firstPosition,
            long lastPosition,
            String sha256) {}

    /**
     * A stream's events in the segment: versions {@code firstVersion..lastVersion}, every one of
     * them ({@code events} is their count: removals take a stream's prefix, never a hole), in the
     * blocks numbered {@code blocks} (indexes into {@link #blocks()}, ascending).
     */
    public record StreamRange(
            String tenant,
            String streamId,
            long firstVersion,
            long lastVersion,
            long events,
            List<Integer> blocks) {
        public StreamRange {
            blocks = List.copyOf(blocks);
        }
    }

    /** The lowest position held; -1 when the segment holds no event. */
    public long firstPosition() {
        return blocks.isEmpty() ? -1 : blocks.get(0).firstPosition();
    }

    /** The highest position held; -1 when the segment holds no event. */
    public long lastPosition() {
        return blocks.isEmpty() ? -1 : blocks.get(blocks.size() - 1).lastPosition();
    }

    /** The index of the block that would hold {@code position}; -1 when none can. */
    int blockHolding(long position) {
        int low = 0;
        int high = blocks.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            Block block = blocks.get(middle);
            if (position < block.firstPosition()) {
                high = middle - 1;
            } else if (position > block.lastPosition()) {
                low = middle + 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    /** The index of the first block holding a position at or above {@code position}. */
    int firstBlockFrom(long position) {
        int low = 0;
        int high = blocks.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (blocks.get(middle).lastPosition() < position) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** The order of {@link #streams()}: by tenant, then stream id. */
    static final Comparator<StreamRange> STREAM_ORDER =
            Comparator.comparing(StreamRange::tenant).thenComparing(StreamRange::streamId);

    /** The versions of {@code streamId} of {@code tenant} in this segment, if it has any. */
    public Optional<StreamRange> stream(String tenant, String streamId) {
        int found =
                Collections.binarySearch(
                        streams,
                        new StreamRange(tenant, streamId, 0, 0, 0, List.of()),
                        STREAM_ORDER);
        return found < 0 ? Optional.empty() : Optional.of(streams.get(found));
    }

    /** The manifest's JSON text. */
    String toJson() {
        JsonArrayBuilder blockArray = BUILDERS.createArrayBuilder();
        for (Block block : blocks) {
            blockArray.add(
                    BUILDERS.createObjectBuilder()
                            .add("offset", block.offset())
                            .add("length", block.length())
                            .add("events", block.events())
                            .add("firstPosition", block.firstPosition())
                            .add("lastPosition", block.lastPosition())
                            .add("sha256", block.sha256()));
        }
        JsonArrayBuilder streamArray = BUILDERS.createArrayBuilder();
        for (StreamRange stream : streams) {
            JsonArrayBuilder in = BUILDERS.createArrayBuilder();
            stream.blocks().forEach(in::add);
            streamArray.add(
                    BUILDERS.createObjectBuilder()
                            .add("tenant", stream.tenant())
                            .add("streamId", stream.streamId())
                            .add("firstVersion", stream.firstVersion())
                            .add("lastVersion", stream.lastVersion())
                            .add("events", stream.events())
                            .add("blocks", in));
        }
        JsonObjectBuilder json =
                BUILDERS.createObjectBuilder()
                        .add("arborArchive", FORMAT)
                        .add("from", name.from())
                        .add("to", name.to())
                        .add("events", events);
        optional(json, "firstPosition", blocks.isEmpty() ? null : firstPosition());
        optional(json, "lastPosition", blocks.isEmpty() ? null : lastPosition());
        json.add("tenants", BUILDERS.createArrayBuilder(tenants));
        optional(json, "minRecordedAt", minRecordedAt);
        optional(json, "maxRecordedAt", maxRecordedAt);
        return json.add(
                                "file",
                                BUILDERS.createObjectBuilder()
                                        .add("name", name.dataFile())
                                        .add("size", fileSize)
                                        .add("sha256", fileSha256))
                        .add("blocks", blockArray)
                        .add("streams", streamArray)
                        .build()
                        .toString()
                + "\n";
    }

    private static void optional(JsonObjectBuilder json, String key, Object value) {
        if (value == null) {
            json.addNull(key);
        } else if (value instanceof Long number) {
            json.add(key, number);
        } else {
            json.add(key, value.toString());
        }
    }

    /**
     * The manifest of the text of the file named for {@code name}.
     *
     * @throws IllegalArgumentException naming what is wrong: not JSON, a format this code does not
     *     know, a member missing or of the wrong type, a range other than its file name's, or
     *     numbers that contradict each other (the caller names the file)
     */
    static SegmentManifest parse(String text, SegmentName name) {
        JsonObject json;
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            json = reader.readObject();
        } catch (JsonException | IllegalStateException notAnObject) {
            throw new IllegalArgumentException("not a JSON object: " + notAnObject.getMessage());
        }
        SegmentManifest manifest;
        try {
            long format = number(json, "arborArchive");
            if (format != FORMAT) {
                throw new IllegalArgumentException(
                        "archive format " + format + ", this Arbor reads format " + FORMAT);
            }
            SegmentName range = new SegmentName(number(json, "from"), number(json, "to"));
            if (!range.equals(name)) {
                throw new IllegalArgumentException(
                        "it describes " + range + " but its file name says " + name);
            }
            JsonObject file = json.getJsonObject("file");
            if (!name.dataFile().equals(file.getString("name"))) {
                throw new IllegalArgumentException(
                        "it names the data file "
                                + file.getString("name")
                                + ", not "
                                + name.dataFile());
            }
            manifest =
                    new SegmentManifest(
                            range,
                            number(json, "events"),
                            strings(json.getJsonArray("tenants")),
                            instant(json, "minRecordedAt"),
                            instant(json, "maxRecordedAt"),
                            number(file, "size"),
                            file.getString("sha256"),
                            json.getJsonArray("blocks").getValuesAs(JsonObject.class).stream()
                                    .map(
                                            block ->
                                                    new Block(
                                                            number(block, "offset"),
                                                            number(block, "length"),
                                                            Math.toIntExact(
                                                                    number(block, "events")),
                                                            number(block, "firstPosition"),
                                                            number(block, "lastPosition"),
                                                            block.getString("sha256")))
                                    .toList(),
                            json.getJsonArray("streams").getValuesAs(JsonObject.class).stream()
                                    .map(
                                            stream ->
                                                    new StreamRange(
                                                            stream.getString("tenant"),
                                                            stream.getString("streamId"),
                                                            number(stream, "firstVersion"),
                                                            number(stream, "lastVersion"),
                                                            number(stream, "events"),
                                                            stream
                                                                    .getJsonArray("blocks")
                                                                    .getValuesAs(JsonNumber.class)
                                                                    .stream()
                                                                    .map(JsonNumber::intValueExact)
                                                                    .toList()))
                                    .toList());
            if (!equalOrBothNull(json, "firstPosition", manifest.firstPosition())
                    || !equalOrBothNull(json, "lastPosition", manifest.lastPosition())) {
                throw new IllegalArgumentException(
                        "its firstPosition/lastPosition disagree with its blocks");
            }
        } catch (NullPointerException
                | ClassCastException
                | ArithmeticException
                | DateTimeParseException missingOrMistyped) {
            throw new IllegalArgumentException(
                    "a member is missing or of the wrong type (" + missingOrMistyped + ")");
        }
        manifest.checkConsistent();
        return manifest;
    }

    /**
     * The manifest's own arithmetic: blocks back to back from offset 0 to the file's size, in
     * increasing positions inside the range, their events summing to the count; streams' blocks
     * existing. What the file says is checked by {@link ArchiveVerifier} and by every block read.
     */
    private void checkConsistent() {
        long offset = 0;
        long count = 0;
        long previous = name.from() - 1;
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            if (block.offset() != offset || block.length() <= 0) {
                throw new IllegalArgumentException(
                        "block "
                                + i
                                + " is at byte "
                                + block.offset()
                                + " (length "
                                + block.length()
                                + "), the blocks before it end at "
                                + offset);
            }
            if (block.events() <= 0
                    || block.firstPosition() <= previous
                    || block.lastPosition() < block.firstPosition()
                    || block.lastPosition() - block.firstPosition() + 1 < block.events()
                    || !name.covers(block.lastPosition())) {
                throw new IllegalArgumentException(
                        "block "
                                + i
                                + " holds "
                                + block.events()
                                + " events at positions "
                                + block.firstPosition()
                                + ".."
                                + block.lastPosition()
                                + ": not after the block before it, inside "
                                + name
                                + " and room enough");
            }
            offset += block.length();
            count += block.events();
            previous = block.lastPosition();
        }
        if (offset != fileSize) {
            throw new IllegalArgumentException(
                    "the blocks end at byte " + offset + " but the file's size is " + fileSize);
        }
        if (count != events) {
            throw new IllegalArgumentException(
                    "the blocks hold " + count + " events but the segment's count is " + events);
        }
        for (int i = 0; i < streams.size(); i++) {
            StreamRange stream = streams.get(i);
            if (i > 0 && STREAM_ORDER.compare(streams.get(i - 1), stream) >= 0) {
                throw new IllegalArgumentException(
                        "its streams are not in (tenant, stream id) order at stream "
                                + stream.streamId());
            }
            for (int block : stream.blocks()) {
                if (block < 0 || block >= blocks.size()) {
                    throw new IllegalArgumentException(
                            "stream "
                                    + stream.streamId()
                                    + " is said to be in block "
                                    + block
                                    + ", which does not exist");
                }
            }
        }
    }

    private static boolean equalOrBothNull(JsonObject json, String key, long value) {
        JsonValue given = json.get(key);
        if (given == null || given == JsonValue.NULL) {
            return value == -1;
        }
        return ((JsonNumber) given).longValueExact() == value;
    }

    private static Instant instant(JsonObject json, String key) {
        return json.isNull(key) ? null : Instant.parse(json.getString(key));
    }

    private static List<String> strings(JsonArray array) {
        return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
