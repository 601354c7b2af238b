package io.arbor.application.subscriptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.domain.OutgoingEvent;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StoreUnavailableException;
import io.arbor.domain.StreamId;
import io.arbor.domain.Tenant;
import io.arbor.domain.TenantEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The tailer's page as its subscribers share it, when one tenant's event cannot be upcast. */
class LogTailerSharedTest {
    private static final Tenant A = new Tenant("tenant-a");
    private static final Tenant B = new Tenant("tenant-b");

    /** Upcasting that marks data "up" and fails on data "bad". */
    private static final BiFunction<Tenant, List<RecordedEvent>, List<OutgoingEvent>> UPCASTING =
            (tenant, events) -> {
                List<OutgoingEvent> result = new ArrayList<>();
                for (RecordedEvent event : events) {
                    if (event.data().contains("bad")) {
                        throw new IllegalStateException("the upcaster threw");
                    }
                    result.add(withData(event, "{\"up\":true}"));
                }
                return result;
            };

    @Test
    void anEventThatCannotBeUpcastFailsOnlyItselfForThoseWhoWantItUpcast() {
        List<LiveEvent> shared =
                LogTailer.shared(
                        List.of(
                                new TenantEvent(A, event(1, "{}")),
                                new TenantEvent(B, event(2, "{}")),
                                new TenantEvent(A, event(3, "{\"bad\":1}")),
                                new TenantEvent(A, event(4, "{}")),
                                new TenantEvent(B, event(5, "{\"fine\":1}"))),
                        UPCASTING);
        assertEquals(5, shared.size());
        assertTrue(shared.get(0).json(true).contains("\"up\":true"));
        assertTrue(shared.get(1).json(true).contains("\"up\":true"));
        UpcastFailedException failed =
                assertThrows(UpcastFailedException.class, () -> shared.get(2).json(true));
        assertEquals(3, failed.event().globalPosition());
        assertTrue(shared.get(2).json(false).contains("\"bad\":1"), "as stored, it still goes");
        assertTrue(shared.get(3).json(true).contains("\"up\":true"));
        assertTrue(shared.get(4).json(true).contains("\"up\":true"));
        assertEquals(List.of(A, B, A, A, B), shared.stream().map(LiveEvent::tenant).toList());
    }

    @Test
    void theDatabaseBeingUnavailableFailsThePage() {
        assertThrows(
                StoreUnavailableException.class,
                () ->
                        LogTailer.shared(
                                List.of(new TenantEvent(A, event(1, "{}"))),
                                (tenant, events) -> {
                                    throw new StoreUnavailableException("down", null);
                                }));
    }

    private static RecordedEvent event(long position, String data) {
        return new RecordedEvent(
                UUID.randomUUID(),
                StreamId.of("account-" + position),
                1,
                position,
                "Opened",
                1,
                data,
                "{}",
                List.of(),
                Instant.EPOCH,
                null);
    }

    private static RecordedEvent withData(RecordedEvent event, String data) {
        return new RecordedEvent(
                event.eventId(),
                event.streamId(),
                event.version(),
                event.globalPosition(),
                event.type(),
                2,
                data,
                event.metadata(),
                event.tags(),
                event.recordedAt(),
                event.writtenBy());
    }
}
