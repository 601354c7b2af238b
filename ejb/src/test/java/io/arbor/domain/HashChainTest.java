package io.arbor.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.arbor.spi.EventHash;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HashChainTest {
    private static final StreamId STREAM = StreamId.of("account-42");
    private static final UUID FIRST = UUID.fromString("6f1c3a4e-8d2b-4c1f-9e7a-2b5d8c9f0a11");
    private static final UUID SECOND = UUID.fromString("0b7e2d34-1c9a-4f6e-8a3b-5d2c1e0f9a87");

    /** docs/tamper-evidence.md's worked example, appended as one batch. */
    @Test
    void aBatchChainsFromTheHeadAsTheWorkedExampleSays() {
        List<NewEvent> batch =
                List.of(
                        new NewEvent(
                                FIRST,
                                "Deposited",
                                1,
                                "{ \"note\" : \"caf\\u00e9 \\\"x\\\"\\n\", \"b\": [1e2, -0, 15E-1],"
                                        + " \"amount\": 10.50 }",
                                "{}",
                                List.of("account:42")),
                        new NewEvent(
                                SECOND,
                                "Withdrawn",
                                2,
                                "{\"amount\":5}",
                                "{\"by\":\"ada\"}",
                                null));
        byte[][] hashes =
                HashChain.extend(EventHash.GENESIS, STREAM, 1, batch, List.of(FIRST, SECOND));
        assertEquals(
                "58f350a55cb87b0ea3afdf7a6ceed2d3022f1b94191865584a8ee00b67ee35ee",
                EventHash.toHex(hashes[0]));
        assertEquals(
                "f863d3cedb08befae9c8a440fd01a6b4298b2da05835de732518b751adeffcb9",
                EventHash.toHex(hashes[1]));
        // The same events appended one at a time chain the same.
        byte[][] first =
                HashChain.extend(EventHash.GENESIS, STREAM, 1, batch.subList(0, 1), List.of(FIRST));
        byte[][] second =
                HashChain.extend(first[0], STREAM, 2, batch.subList(1, 2), List.of(SECOND));
        assertArrayEquals(hashes[1], second[0]);
    }

    @Test
    void aStreamNotChainedYetGetsNoHashes() {
        byte[][] hashes =
                HashChain.extend(
                        null,
                        STREAM,
                        5,
                        List.of(new NewEvent(FIRST, "T", 1, "{}", null, null)),
                        List.of(FIRST));
        assertEquals(1, hashes.length);
        assertNull(hashes[0]);
    }
}
