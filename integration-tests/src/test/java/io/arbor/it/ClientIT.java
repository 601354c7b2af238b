package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.client.AppendResult;
import io.arbor.client.ArborClient;
import io.arbor.client.BadRequestException;
import io.arbor.client.Direction;
import io.arbor.client.DuplicateEventIdException;
import io.arbor.client.ExpectedVersion;
import io.arbor.client.LogFilter;
import io.arbor.client.NewEvent;
import io.arbor.client.RecordedEvent;
import io.arbor.client.Snapshot;
import io.arbor.client.SnapshotBeyondHeadException;
import io.arbor.client.SnapshotNotFoundException;
import io.arbor.client.StreamNotFoundException;
import io.arbor.client.StreamPage;
import io.arbor.client.WrongExpectedVersionException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The Java client (client/) against the real server: every endpoint of api.md. */
class ClientIT extends ArborIT {
    private final ArborClient client = Arbor.client();

    private static JsonObject data(int n) {
        return Json.createObjectBuilder().add("n", n).add("text", "é✓ \"q\"").build();
    }

    private static List<NewEvent> events(int from, int to) {
        return IntStream.rangeClosed(from, to)
                .mapToObj(n -> NewEvent.of("Counted", data(n)))
                .toList();
    }

    @Test
    void appendedEventsReadBackExactlyOverManyPagesBothWays() {
        String stream = Arbor.newStream("client");
        List<NewEvent> written = events(1, 25);
        AppendResult first =
                client.append(stream, ExpectedVersion.NO_STREAM, written.subList(0, 10));
        AppendResult second =
                client.append(stream, ExpectedVersion.exactly(10), written.subList(10, 25));
        assertEquals(1, first.fromVersion());
        assertEquals(25, second.toVersion());
        assertFalse(second.replayed());
        assertTrue(second.fromPosition() > first.toPosition());

        List<RecordedEvent> forward =
                client.readStream(stream, null, Direction.FORWARD, 7).toList();
        assertEquals(25, forward.size());
        for (int i = 0; i < 25; i++) {
            RecordedEvent event = forward.get(i);
            assertEquals(i + 1, event.version());
            assertEquals(written.get(i).eventId(), event.eventId());
            assertEquals(written.get(i).data(), event.data());
            assertEquals("client", event.category());
        }
        List<Long> backward =
                client.readStream(stream, 20L, Direction.BACKWARD, 6)
                        .map(RecordedEvent::version)
                        .toList();
        assertEquals(20, backward.size());
        assertEquals(20L, backward.get(0));
        assertEquals(1L, backward.get(19));
        assertEquals(25, client.streamInfo(stream).version());
    }

    /**
     * The contract's alphabet allows {@code .} and {@code ..}: they reach their own streams, not
     * the global log (issue 13). These ids are shared by every run, so the test counts from
     * whatever version they already have. A segment of three dots never reaches Arbor: Payara
     * refuses such a path itself (400 "Invalid URI", no body), however it is encoded.
     */
    @Test
    void streamIdsOfDotsReachTheirOwnStreams() {
        for (String id : List.of(".", "..", "a..b")) {
            long before;
            try {
                before = client.streamInfo(id).version();
            } catch (StreamNotFoundException none) {
                before = 0;
            }
            AppendResult appended = client.append(id, ExpectedVersion.ANY, events(1, 1));
            assertEquals(id, appended.streamId());
            assertEquals(before + 1, appended.toVersion());
            assertEquals(before + 1, client.streamInfo(id).version());
            StreamPage page = client.readStreamPage(id, before + 1, 10, Direction.FORWARD);
            assertEquals(id, page.streamId());
            assertEquals(1, page.events().size());
            assertEquals(id, page.events().get(0).streamId());
        }
        BadRequestException threeDots =
                assertThrows(BadRequestException.class, () -> client.streamInfo("..."));
        assertEquals(400, threeDots.problem().status());
    }

    @Test
    void retryingAnAppendWithTheSameIdsWritesNothingAndAnswersTheOriginal() {
        String stream = Arbor.newStream("clientretry");
        List<NewEvent> batch = events(1, 3);
        AppendResult original = client.append(stream, ExpectedVersion.exactly(0), batch);
        AppendResult retried = client.append(stream, ExpectedVersion.exactly(0), batch);
        assertTrue(retried.replayed());
        assertEquals(original.toPosition(), retried.toPosition());
        assertEquals(3, client.streamInfo(stream).version());
    }

    @Test
    void failuresArriveAsTypedExceptionsWithTheProblemFields() {
        String stream = Arbor.newStream("clienterr");
        client.append(stream, ExpectedVersion.ANY, events(1, 2));
        WrongExpectedVersionException conflict =
                assertThrows(
                        WrongExpectedVersionException.class,
                        () -> client.append(stream, ExpectedVersion.exactly(1), events(3, 3)));
        assertEquals("1", conflict.expectedVersion());
        assertEquals(2, conflict.actualVersion());
        assertEquals(stream, conflict.streamId());

        NewEvent reused = client.readStream(stream).findFirst().map(NewEvent::copyOf).orElseThrow();
        assertThrows(
                DuplicateEventIdException.class,
                () -> client.append(Arbor.newStream("clienterr"), ExpectedVersion.ANY, reused));

        String missing = Arbor.newStream("clientnone");
        assertThrows(StreamNotFoundException.class, () -> client.streamInfo(missing));
        assertThrows(StreamNotFoundException.class, () -> client.readStream(missing).count());
        BadRequestException bad =
                assertThrows(
                        BadRequestException.class,
                        () -> client.readStreamPage(stream, 1L, 5000, Direction.FORWARD));
        assertEquals(400, bad.status());
        assertEquals("urn:arbor:problem:invalid-request", bad.problem().type());
        assertThrows(BadRequestException.class, () -> client.streamInfo("not a stream id"));
    }

    @Test
    void snapshotsAreSavedAndTheLatestIsRead() {
        String stream = Arbor.newStream("clientsnap");
        assertThrows(
                StreamNotFoundException.class, () -> client.saveSnapshot(stream, 1, "S", data(0)));
        client.append(stream, ExpectedVersion.NO_STREAM, events(1, 4));
        assertThrows(SnapshotNotFoundException.class, () -> client.latestSnapshot(stream));
        Snapshot saved = client.saveSnapshot(stream, 3, "State", data(3));
        SnapshotBeyondHeadException beyond =
                assertThrows(
                        SnapshotBeyondHeadException.class,
                        () -> client.saveSnapshot(stream, 9, "State", data(9)));
        assertEquals(4, beyond.actualVersion());
        assertEquals(saved, client.latestSnapshot(stream));
        assertEquals(data(3), saved.data());
    }

    @Test
    void theGlobalLogByCategoryHoldsEveryEventOnceInPositionOrder() {
        String category = Arbor.newCategory();
        long start = arbor.lastPosition(0);
        List<NewEvent> written = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<NewEvent> batch = events(1, 5);
            client.append(category + "-" + s, ExpectedVersion.NO_STREAM, batch);
            written.addAll(batch);
        }
        List<RecordedEvent> read = client.readAll(start, LogFilter.category(category), 4).toList();
        assertEquals(
                written.stream().map(NewEvent::eventId).toList(),
                read.stream().map(RecordedEvent::eventId).toList());
        for (int i = 1; i < read.size(); i++) {
            assertTrue(read.get(i).globalPosition() > read.get(i - 1).globalPosition());
        }
        assertEquals(
                5,
                client.readAll(start, new LogFilter(category, "Counted"), 1000)
                        .filter(e -> e.streamId().equals(category + "-1"))
                        .count());
    }

    @Test
    void followSeesAnEventAppendedAfterItStarted() throws Exception {
        String category = Arbor.newCategory();
        long start = arbor.lastPosition(0);
        CompletableFuture<RecordedEvent> seen =
                CompletableFuture.supplyAsync(
                        () ->
                                client.follow(
                                                start,
                                                LogFilter.category(category),
                                                Duration.ofMillis(100))
                                        .findFirst()
                                        .orElseThrow());
        Thread.sleep(500);
        assertFalse(seen.isDone());
        NewEvent event = NewEvent.of("Late", data(1));
        client.append(category + "-1", ExpectedVersion.ANY, event);
        assertEquals(event.eventId(), seen.get(20, TimeUnit.SECONDS).eventId());
    }
}
