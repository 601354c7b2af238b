package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.ArborProblemException;
import io.arbor.client.Direction;
import io.arbor.client.DuplicateEventIdException;
import io.arbor.client.ExpectedVersion;
import io.arbor.client.NewEvent;
import io.arbor.client.RecordedEvent;
import io.arbor.client.StreamMetadata;
import io.arbor.client.StreamNotFoundException;
import io.arbor.client.StreamPage;
import io.arbor.client.WrongExpectedVersionException;
import io.arbor.spi.EventHash;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code arbor import FILE.ndjson}. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Append the events of an NDJSON export to this store, keeping their event ids,"
                    + " versions and order (global positions are the target's own).",
            "Idempotent: running it again writes nothing new (events already present, same id at"
                    + " the same version, are skipped), and an interrupted import resumes.",
            "Refuses (exit 1, before writing anything when the file itself is wrong) a file whose"
                    + " stream versions are out of order, have gaps or repeat an id, whose hash"
                    + " chains do not hold from their seeds, and a target stream that holds"
                    + " different events at those versions.",
            "Format 2 (docs/lifecycle.md): a stream's lifecycle line recreates it as it was: a"
                    + " stream that starts past version 1 (truncated, scavenged, deleted) gets its"
                    + " row at the version before, with the file's seed as its head hash and chain"
                    + " anchor, written in the database (--db-url or $ARBOR_DB_URL, --tenant; the"
                    + " API cannot start a stream past version 1); its events are then appended"
                    + " through the API at their own versions; last, its metadata is set and a"
                    + " deleted stream deleted again (soft or hard, a tombstone) through the API,"
                    + " which needs an admin token.",
            "Prints a summary line (with --json, one object: imported, streams, written,"
                    + " alreadyPresent, and refused when it refused); progress goes to stderr."
        })
final class ImportCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin DbOptions db;

    @Option(
            names = "--tenant",
            defaultValue = "default",
            description =
                    "the tenant the API writes to (the token's tenant claim; default:"
                            + " ${DEFAULT-VALUE}): where rows of streams that start past version 1"
                            + " are created")
    String tenant;

    @Parameters(paramLabel = "FILE", description = "an NDJSON file written by `arbor export`")
    Path file;

    @Option(names = "--batch", description = "events per append, 1 to 1000 (default: 500)")
    int batch = 500;

    private long written;
    private long present;
    private long lifecycles;

    /** The file's lifecycle lines, by stream: what pass 2 recreates. */
    private final Map<String, LifecycleRecord> records = new LinkedHashMap<>();

    /** The streams whose rows pass 2 has made sure of (created, or found anchored). */
    private final Set<String> anchored = new HashSet<>();

    private Connection connection;

    /** A refusal: the import stops and exits 1. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() throws IOException {
        if (batch < 1 || batch > 1000) {
            throw new IllegalArgumentException("--batch must be 1 to 1000");
        }
        long total;
        try {
            total = check();
        } catch (Refused refused) {
            common.err().println("arbor import: refused, nothing written: " + refused.getMessage());
            printRefusal(refused, 0);
            return ArborCli.ANOMALY;
        }
        boolean startsPastOne = records.values().stream().anyMatch(r -> r.firstVersion() > 1);
        if (startsPastOne && !db.given()) {
            throw new IllegalArgumentException(
                    "the file holds streams that start past version 1 (truncated or deleted):"
                            + " their rows are created in the database: give --db-url or set"
                            + " ARBOR_DB_URL (docs/lifecycle.md); nothing written");
        }
        // A token that is not a readable JWT (none: security off) writes to the tenant "default".
        String tokenTenant = Objects.requireNonNullElse(common.tokenTenant(), "default");
        if (startsPastOne && !tokenTenant.equals(tenant)) {
            // The rows import creates in the database and the events it appends through the API
            // must be the same tenant's, or the appends find no stream and the rows are orphans.
            throw new IllegalArgumentException(
                    "--tenant "
                            + tenant
                            + " is not the token's tenant "
                            + tokenTenant
                            + ": give --tenant "
                            + tokenTenant
                            + "; nothing written");
        }
        try {
            connection = startsPastOne ? db.connect() : null;
        } catch (SQLException unreachable) {
            common.err().println("arbor import: cannot use the database: " + unreachable);
            return ArborCli.UNAVAILABLE;
        }
        try {
            return write(total);
        } finally {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the import's outcome is decided
                }
            }
        }
    }

    private int write(long total) throws IOException {
        ArborClient client = common.client();
        Progress progress = new Progress(common.err(), "import", total);
        Set<String> streams = new HashSet<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<RecordedEvent> run = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject json = ArborClient.parseObject(line);
                if (!isEvent(json)) {
                    continue; // the header, or a lifecycle line (applied after the events)
                }
                RecordedEvent event = ArborClient.event(json);
                streams.add(event.streamId());
                if (!run.isEmpty()
                        && (!run.get(0).streamId().equals(event.streamId())
                                || run.size() == batch)) {
                    store(client, run);
                    progress.advance(run.size());
                    run.clear();
                }
                run.add(event);
            }
            if (!run.isEmpty()) {
                store(client, run);
                progress.advance(run.size());
            }
            for (LifecycleRecord record : records.values()) {
                recreate(client, record);
                streams.add(record.streamId());
            }
        } catch (Refused refused) {
            progress.finish();
            common.err().println("arbor import: refused: " + refused.getMessage());
            common.err()
                    .printf(
                            "arbor import: stopped after %d written, %d already present%n",
                            written, present);
            printRefusal(refused, streams.size());
            return ArborCli.ANOMALY;
        }
        progress.finish();
        if (common.json) {
            common.out().println(summary(streams.size()).build());
        } else {
            common.out()
                    .printf(
                            "imported %d events into %d streams: %d written, %d already present;"
                                    + " %d stream lifecycles set%n",
                            written + present, streams.size(), written, present, lifecycles);
        }
        common.out().flush();
        return 0;
    }

    private JsonObjectBuilder summary(int streams) {
        return Json.createObjectBuilder()
                .add("imported", written + present)
                .add("streams", streams)
                .add("written", written)
                .add("alreadyPresent", present)
                .add("lifecyclesSet", lifecycles);
    }

    /** With --json, a refusal is an object on stdout too (the message stays on stderr). */
    private void printRefusal(Refused refused, int streams) {
        if (common.json) {
            common.out().println(summary(streams).add("refused", refused.getMessage()).build());
            common.out().flush();
        }
    }

    /** A line of an event (format 1 has only these); not the header or a lifecycle line. */
    private static boolean isEvent(JsonObject json) {
        return !json.containsKey("arborExport") && !json.containsKey(LifecycleRecord.MEMBER);
    }

    /**
     * Pass 1: the file alone must be a valid, ordered log whose chains hold from their seeds.
     * Returns the number of events; keeps the lifecycle lines in {@link #records}.
     */
    private long check() throws IOException, Refused {
        Map<String, Long> versions = new HashMap<>();
        Map<String, byte[]> hashes = new HashMap<>();
        // Each stream's first event when it is past version 1: its seed is in a lifecycle line,
        // which the export writes after the events.
        Map<String, RecordedEvent> startsLate = new HashMap<>();
        Map<String, Long> startLines = new HashMap<>();
        Set<UUID> ids = new HashSet<>();
        String lifecycle = null;
        long count = 0;
        long lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                JsonObject json;
                try {
                    json = ArborClient.parseObject(line);
                } catch (RuntimeException bad) {
                    throw new Refused(
                            file + " line " + lineNumber + " is not JSON: " + bad.getMessage());
                }
                if (json.containsKey("arborExport")) {
                    lifecycle = header(json, lineNumber, count);
                    continue;
                }
                if (json.containsKey(LifecycleRecord.MEMBER)) {
                    LifecycleRecord record;
                    try {
                        record = LifecycleRecord.fromJson(json);
                    } catch (IllegalArgumentException bad) {
                        throw new Refused("line " + lineNumber + ": " + bad.getMessage());
                    }
                    if (records.put(record.streamId(), record) != null) {
                        throw new Refused(
                                "line "
                                        + lineNumber
                                        + ": a second lifecycle line for stream "
                                        + record.streamId());
                    }
                    continue;
                }
                RecordedEvent event;
                try {
                    event = ArborClient.event(json);
                } catch (RuntimeException bad) { // JsonException, a missing field, a bad UUID…
                    throw new Refused(
                            file + " line " + lineNumber + " is not an event: " + bad.getMessage());
                }
                if (!versions.containsKey(event.streamId()) && event.version() > 1) {
                    startsLate.put(event.streamId(), event);
                    startLines.put(event.streamId(), lineNumber);
                }
                Long previous = versions.put(event.streamId(), event.version());
                if (previous != null && event.version() != previous + 1) {
                    throw new Refused(
                            "line "
                                    + lineNumber
                                    + ": stream "
                                    + event.streamId()
                                    + " goes from version "
                                    + previous
                                    + " to "
                                    + event.version()
                                    + " (the file would reorder the stream or leave a gap)");
                }
                checkHash(event, hashes, lineNumber);
                if (!ids.add(event.eventId())) {
                    throw new Refused(
                            "line " + lineNumber + ": event id " + event.eventId() + " repeats");
                }
                count++;
            }
        }
        checkStarts(versions, startsLate, startLines, "exported".equals(lifecycle));
        return count;
    }

    /** The header line (format 2): returns what it says of lifecycle lines. */
    private static String header(JsonObject json, long lineNumber, long events) throws Refused {
        int format;
        try {
            format = json.getJsonNumber("arborExport").intValueExact();
        } catch (RuntimeException bad) {
            throw new Refused("line " + lineNumber + ": arborExport is not a format number");
        }
        if (lineNumber != 1 || events > 0) {
            throw new Refused("line " + lineNumber + ": a header line after the first line");
        }
        if (format < 1 || format > ExportCommand.FORMAT) {
            throw new Refused(
                    "the file is export format "
                            + format
                            + "; this arbor reads formats 1 to "
                            + ExportCommand.FORMAT);
        }
        return json.getString("lifecycle", null);
    }

    /**
     * Where each stream starts in the file must be where its lifecycle line says, and its first
     * event must chain from the line's seed: a truncated stream is checked from its first version
     * as a whole one is from genesis. A stream starting past version 1 with no lifecycle line is
     * refused in a file whose header says lifecycle lines were exported; else (an export with
     * --after, or without a database) it continues a stream the target already holds.
     */
    private void checkStarts(
            Map<String, Long> versions,
            Map<String, RecordedEvent> startsLate,
            Map<String, Long> startLines,
            boolean lifecycleExported)
            throws Refused {
        for (LifecycleRecord record : records.values()) {
            String stream = record.streamId();
            RecordedEvent first = startsLate.get(stream);
            long firstInFile =
                    first != null ? first.version() : versions.containsKey(stream) ? 1 : 0;
            if (firstInFile == 0) {
                if (record.firstVersion() == 1) {
                    throw new Refused(
                            "stream " + stream + ": a lifecycle line and no events from version 1");
                }
            } else if (firstInFile != record.firstVersion()) {
                throw new Refused(
                        "stream "
                                + stream
                                + ": its events in the file start at version "
                                + firstInFile
                                + ", its lifecycle line at "
                                + record.firstVersion());
            }
            if (record.firstVersion() == 1) {
                continue; // checked from genesis with the events
            }
            if (record.previousHash() == null) {
                throw new Refused(
                        "stream "
                                + stream
                                + " starts at version "
                                + record.firstVersion()
                                + " but the hash of version "
                                + (record.firstVersion() - 1)
                                + " is unknown: its chain cannot be checked or continued");
            }
            if (first != null && first.hash() != null) {
                byte[] computed = first.computeHash(EventHash.fromHex(record.previousHash()));
                if (!EventHash.toHex(computed).equals(first.hash())) {
                    throw new Refused(
                            "line "
                                    + startLines.get(stream)
                                    + ": stream "
                                    + stream
                                    + " v"
                                    + first.version()
                                    + ": its hash "
                                    + first.hash()
                                    + " is not the hash of its content after the seed "
                                    + record.previousHash()
                                    + " (the file was changed?)");
                }
            }
        }
        if (lifecycleExported) {
            for (RecordedEvent first : startsLate.values()) {
                if (!records.containsKey(first.streamId())) {
                    throw new Refused(
                            "line "
                                    + startLines.get(first.streamId())
                                    + ": stream "
                                    + first.streamId()
                                    + " starts at version "
                                    + first.version()
                                    + " and the file has no lifecycle line for it");
                }
            }
        }
    }

    /**
     * An exported event's hash must be the hash of its content after its predecessor's (the
     * previous line of its stream, or nothing for version 1): the target store will compute it so,
     * and a file whose events were changed would be imported as a different history. The first line
     * of a stream that starts past version 1 ({@code export --after}) has no predecessor here and
     * is not checked; the lines after it are. Events without a hash (an export from before hash
     * chains) are not checked.
     */
    private static void checkHash(RecordedEvent event, Map<String, byte[]> hashes, long lineNumber)
            throws Refused {
        if (event.hash() == null) {
            hashes.remove(event.streamId());
            return;
        }
        byte[] previous = event.version() == 1 ? EventHash.GENESIS : hashes.get(event.streamId());
        byte[] stored;
        try {
            stored = EventHash.fromHex(event.hash());
        } catch (IllegalArgumentException notHex) {
            throw new Refused("line " + lineNumber + ": hash " + event.hash() + " is not hex");
        }
        if (previous != null && !Arrays.equals(stored, event.computeHash(previous))) {
            throw new Refused(
                    "line "
                            + lineNumber
                            + ": stream "
                            + event.streamId()
                            + " v"
                            + event.version()
                            + ": its hash "
                            + event.hash()
                            + " is not the hash of its content after the previous version's (the"
                            + " file was changed?)");
        }
        hashes.put(event.streamId(), stored);
    }

    /**
     * A stream that starts past version 1 gets its row at the version before, anchored with the
     * file's seed, before its first events are appended (once per stream; see {@link
     * LifecycleRecord#createAnchoredRow}).
     */
    private void anchor(LifecycleRecord record) throws Refused {
        if (record == null || record.firstVersion() == 1 || !anchored.add(record.streamId())) {
            return;
        }
        try {
            LifecycleRecord.createAnchoredRow(connection, tenant, record);
        } catch (IllegalStateException other) {
            throw new Refused(other.getMessage());
        } catch (SQLException failed) {
            throw new Refused(
                    "stream "
                            + record.streamId()
                            + ": could not create its row at version "
                            + (record.firstVersion() - 1)
                            + ": "
                            + failed.getMessage());
        }
    }

    /**
     * After the events: a stream's row exists (anchored if it has no events here), its metadata is
     * set again, and a deleted stream is deleted again, through the API, which gives the stream's
     * head up in the data grid as every lifecycle change does. Run again, it finds the delete done
     * (the row's state, read in the database) and changes nothing.
     */
    private void recreate(ArborClient client, LifecycleRecord record) throws Refused {
        anchor(record);
        String stream = record.streamId();
        if (record.deleted() != null && record.deleted().equals(deletedHere(stream))) {
            return;
        }
        try {
            if (record.hasMetadata()) {
                client.setStreamMetadata(stream, StreamMetadata.of(record.metadata()));
            }
            if (record.deleted() != null) {
                client.deleteStream(stream, record.deleted().equals("hard"));
            }
        } catch (ArborProblemException refused) {
            throw new Refused(
                    "stream " + stream + ": its lifecycle was refused: " + refused.getMessage());
        }
        if (record.hasMetadata() || record.deleted() != null) {
            lifecycles++;
        }
    }

    /** The target row's delete state ("soft", "hard" or null). */
    private String deletedHere(String stream) throws Refused {
        if (connection == null) {
            return null; // deleted streams start past version 1: there is a database
        }
        try (PreparedStatement statement =
                connection.prepareStatement(
                        "SELECT deleted FROM streams WHERE tenant = ? AND stream_id = ?")) {
            statement.setString(1, tenant);
            statement.setString(2, stream);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException failed) {
            throw new Refused("stream " + stream + ": " + failed.getMessage());
        }
    }

    /** Appends one run of consecutive versions of one stream, or finds it already there. */
    private void store(ArborClient client, List<RecordedEvent> run) throws Refused {
        String stream = run.get(0).streamId();
        long first = run.get(0).version();
        anchor(records.get(stream));
        try {
            var result =
                    client.append(
                            stream,
                            ExpectedVersion.exactly(first - 1),
                            run.stream().map(NewEvent::copyOf).toList());
            if (result.replayed()) {
                present += run.size();
            } else {
                written += run.size();
            }
        } catch (WrongExpectedVersionException | DuplicateEventIdException conflict) {
            reconcile(client, run, conflict);
        }
    }

    /**
     * The target already holds some of this stream: the events it has at these versions must be
     * these very events (then they are skipped), and the rest must continue its head.
     */
    private void reconcile(ArborClient client, List<RecordedEvent> run, ArborProblemException why)
            throws Refused {
        String stream = run.get(0).streamId();
        long first = run.get(0).version();
        StreamPage page;
        try {
            page = client.readStreamPage(stream, first, run.size(), Direction.FORWARD);
        } catch (StreamNotFoundException missing) {
            throw new Refused(
                    "stream "
                            + stream
                            + " does not exist here but the file starts it at version "
                            + first
                            + " ("
                            + why.problem().detail()
                            + ")");
        }
        long head = page.version();
        int k = 0;
        for (RecordedEvent there : page.events()) {
            RecordedEvent mine = run.get(k);
            if (!there.eventId().equals(mine.eventId())) {
                throw new Refused(
                        "stream "
                                + stream
                                + " holds event "
                                + there.eventId()
                                + " at version "
                                + there.version()
                                + ", the file has "
                                + mine.eventId());
            }
            k++;
            if (k == run.size()) {
                break;
            }
        }
        present += k;
        if (k == run.size()) {
            return;
        }
        List<RecordedEvent> rest = run.subList(k, run.size());
        if (rest.get(0).version() != head + 1) {
            throw new Refused(
                    "stream "
                            + stream
                            + " is at version "
                            + head
                            + " here; the file continues it at version "
                            + rest.get(0).version()
                            + " ("
                            + why.problem().detail()
                            + ")");
        }
        try {
            client.append(
                    stream,
                    ExpectedVersion.exactly(head),
                    rest.stream().map(NewEvent::copyOf).toList());
            written += rest.size();
        } catch (WrongExpectedVersionException | DuplicateEventIdException again) {
            throw new Refused("stream " + stream + ": " + again.problem().detail());
        }
    }
}
