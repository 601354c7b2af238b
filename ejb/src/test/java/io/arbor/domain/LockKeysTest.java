package io.arbor.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LockKeysTest {
    private static NewEvent event(String type, String... tags) {
        return new NewEvent(null, type, null, "{}", null, List.of(tags));
    }

    private static Append append(AppendCondition condition, StreamAppend... parts) {
        return new Append(List.of(parts), condition);
    }

    private static StreamAppend part(String stream, NewEvent... events) {
        return new StreamAppend(
                StreamId.of(stream), ExpectedVersion.ANY, List.of(events), "/streams/0");
    }

    @Test
    void aPlainAppendTakesItsTypesAndTagsShared() {
        Map<String, Boolean> keys =
                LockKeys.of(append(null, part("a-1", event("Enrolled", "course:c1", "student:s1"))))
                        .keys();
        assertEquals(
                Map.of(
                        "type:Enrolled",
                        false,
                        "tag:course:c1",
                        false,
                        "tag:student:s1",
                        false,
                        LockKeys.WHOLE,
                        false),
                keys);
    }

    @Test
    void aConditionTakesItsItemsTagsExclusiveOrItsTypesWhenItHasNoTags() {
        AppendCondition condition =
                new AppendCondition(
                        new EventQuery(
                                List.of(
                                        new QueryItem(List.of("Enrolled"), List.of("course:c1")),
                                        new QueryItem(List.of("Closed", "Opened"), List.of()))),
                        7);
        Map<String, Boolean> keys =
                LockKeys.of(append(condition, part("a-1", event("Enrolled", "course:c1")))).keys();
        assertEquals(
                Map.of(
                        "type:Enrolled",
                        false,
                        "tag:course:c1",
                        true,
                        "type:Closed",
                        true,
                        "type:Opened",
                        true,
                        LockKeys.WHOLE,
                        false),
                keys,
                "a key both written and checked is exclusive; an item with tags locks no type");
    }

    @Test
    void aWideAppendTakesOnlyTheWholeKeyExclusive() {
        NewEvent[] events = new NewEvent[LockKeys.MAX_KEYS];
        for (int i = 0; i < events.length; i++) {
            events[i] = event("X", "order:" + i); // with type:X, one key over the bound
        }
        assertEquals(
                Map.of(LockKeys.WHOLE, true),
                LockKeys.of(append(null, part("a-1", events))).keys());
        NewEvent[] fewer = java.util.Arrays.copyOf(events, LockKeys.MAX_KEYS - 1);
        assertEquals(
                LockKeys.MAX_KEYS + 1,
                LockKeys.of(append(null, part("a-1", fewer))).keys().size(),
                "at the bound: its own keys and the whole key, shared");
    }

    @Test
    void createdStreamsAreExclusiveAndGuardedAbsentOnesShared() {
        LockKeys keys =
                LockKeys.of(append(null, part("a-1", event("X"))))
                        .created(StreamId.of("a-1"))
                        .guardedAbsent(StreamId.of("b-1"));
        assertEquals(
                Map.of(
                        "type:X",
                        false,
                        "stream:a-1",
                        true,
                        "stream:b-1",
                        false,
                        LockKeys.WHOLE,
                        false),
                keys.keys());
    }

    @Test
    void aStreamListedTwiceIsRefusedWithThePointerOfTheSecondEntry() {
        InvalidInputException twice =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                new Append(
                                        List.of(
                                                new StreamAppend(
                                                        StreamId.of("a-1"),
                                                        ExpectedVersion.ANY,
                                                        List.of(),
                                                        "/streams/0"),
                                                new StreamAppend(
                                                        StreamId.of("a-1"),
                                                        ExpectedVersion.ANY,
                                                        List.of(event("X")),
                                                        "/streams/1")),
                                        null));
        assertEquals("/streams/1/streamId", twice.pointer());
    }
}
