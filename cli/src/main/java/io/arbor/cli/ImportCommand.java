package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.ArborProblemException;
import io.arbor.client.Direction;
import io.arbor.client.DuplicateEventIdException;
import io.arbor.client.ExpectedVersion;
import io.arbor.client.NewEvent;
import io.arbor.client.RecordedEvent;
import io.arbor.client.StreamNotFoundException;
import io.arbor.client.StreamPage;
import io.arbor.client.WrongExpectedVersionException;
import io.arbor.spi.EventHash;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
                    + " stream versions are out of order, have gaps or repeat an id, and a target"
                    + " stream that holds different events at those versions.",
            "Prints a summary line (with --json, one object: imported, streams, written,"
                    + " alreadyPresent, and refused when it refused); progress goes to stderr."
        })
final class ImportCommand implements Callable<Integer> {
    @Mixin Common common;

    @Parameters(paramLabel = "FILE", description = "an NDJSON file written by `arbor export`")
    Path file;

    @Option(names = "--batch", description = "events per append, 1 to 1000 (default: 500)")
    int batch = 500;

    private long written;
    private long present;

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
                RecordedEvent event = ArborClient.event(ArborClient.parseObject(line));
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
                            "imported %d events into %d streams: %d written, %d already present%n",
                            written + present, streams.size(), written, present);
        }
        common.out().flush();
        return 0;
    }

    private JsonObjectBuilder summary(int streams) {
        return Json.createObjectBuilder()
                .add("imported", written + present)
                .add("streams", streams)
                .add("written", written)
                .add("alreadyPresent", present);
    }

    /** With --json, a refusal is an object on stdout too (the message stays on stderr). */
    private void printRefusal(Refused refused, int streams) {
        if (common.json) {
            common.out().println(summary(streams).add("refused", refused.getMessage()).build());
            common.out().flush();
        }
    }

    /** Pass 1: the file alone must be a valid, ordered log. Returns the number of events. */
    private long check() throws IOException, Refused {
        Map<String, Long> versions = new HashMap<>();
        Map<String, byte[]> hashes = new HashMap<>();
        Set<UUID> ids = new HashSet<>();
        long count = 0;
        long lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                RecordedEvent event;
                try {
                    event = ArborClient.event(ArborClient.parseObject(line));
                } catch (RuntimeException bad) { // JsonException, a missing field, a bad UUID…
                    throw new Refused(
                            file + " line " + lineNumber + " is not an event: " + bad.getMessage());
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
        return count;
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

    /** Appends one run of consecutive versions of one stream, or finds it already there. */
    private void store(ArborClient client, List<RecordedEvent> run) throws Refused {
        String stream = run.get(0).streamId();
        long first = run.get(0).version();
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
