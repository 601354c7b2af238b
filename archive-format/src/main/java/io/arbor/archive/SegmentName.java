package io.arbor.archive;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of the segment holding the global-log positions {@code [from, to)}: {@code
 * events-<from>-<to>.ndjson.gz} and its manifest {@code events-<from>-<to>.manifest.json}, plain
 * decimal numbers without leading zeros; while being written, each with {@code .partial} appended.
 *
 * @param from the first position the segment covers
 * @param to the position after the last it covers
 */
public record SegmentName(long from, long to) {
    static final String PARTIAL = ".partial";
    private static final Pattern MANIFEST =
            Pattern.compile("events-(0|[1-9]\\d{0,18})-([1-9]\\d{0,18})\\.manifest\\.json");
    private static final Pattern DATA =
            Pattern.compile("events-(0|[1-9]\\d{0,18})-([1-9]\\d{0,18})\\.ndjson\\.gz");

    public SegmentName {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException(
                    "A segment covers positions [from, to) with 0 <= from < to, not ["
                            + from
                            + ", "
                            + to
                            + ")");
        }
    }

    public String dataFile() {
        return "events-" + from + "-" + to + ".ndjson.gz";
    }

    public String manifestFile() {
        return "events-" + from + "-" + to + ".manifest.json";
    }

    Path data(Path directory) {
        return directory.resolve(dataFile());
    }

    Path manifest(Path directory) {
        return directory.resolve(manifestFile());
    }

    static Path partial(Path file) {
        return file.resolveSibling(file.getFileName() + PARTIAL);
    }

    /** Whether {@code position} is in {@code [from, to)}. */
    public boolean covers(long position) {
        return position >= from && position < to;
    }

    /** Whether the two ranges share a position. */
    public boolean overlaps(SegmentName other) {
        return from < other.to && other.from < to;
    }

    /** The segment a manifest's file name names; empty for any other name. */
    static Optional<SegmentName> ofManifest(String fileName) {
        return parse(MANIFEST.matcher(fileName));
    }

    /** The segment a data file's name names; empty for any other name. */
    static Optional<SegmentName> ofData(String fileName) {
        return parse(DATA.matcher(fileName));
    }

    private static Optional<SegmentName> parse(Matcher name) {
        if (!name.matches()) {
            return Optional.empty();
        }
        try {
            long from = Long.parseLong(name.group(1));
            long to = Long.parseLong(name.group(2));
            return from < to ? Optional.of(new SegmentName(from, to)) : Optional.empty();
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "[" + from + ", " + to + ")";
    }
}
