package io.arbor.domain;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The keys one append attempt locks so that append conditions hold (docs/design.md, "Append
 * conditions"), each shared or exclusive:
 *
 * <ul>
 *   <li>every event written: {@code type:T} for its type and {@code tag:t} for each of its tags,
 *       shared;
 *   <li>every item of the append's condition: {@code tag:t} for each of its tags, or, for an item
 *       without tags, {@code type:T} for each of its types, exclusive (an event the item matches
 *       carries all of the item's tags, or one of its types, so its writer holds one of these keys
 *       shared);
 *   <li>a stream the append creates: {@code stream:S}, exclusive; a stream a guard expects to be
 *       absent: {@code stream:S}, shared (a stream's creation is not a row that a guard could
 *       lock).
 * </ul>
 *
 * A key both shared and exclusive is taken exclusive.
 *
 * <p>Every append also takes the tenant's whole key, {@value #WHOLE}: shared when it has at most
 * {@value #MAX_KEYS} keys of its own, which it then takes; exclusive, and nothing else, when it has
 * more (a wide append: 1,000 events of 32 distinct tags each would need 32,000 locks and exhaust
 * PostgreSQL's shared lock table, failing unrelated transactions too). A wide append excludes every
 * other append of the tenant while it commits, so it still conflicts with every condition it could
 * break, and every writer it could miss; appends with few keys, the usual ones, never wait for each
 * other on the whole key.
 */
public final class LockKeys {
    /** The most keys of its own an append takes; one with more takes {@value #WHOLE} exclusive. */
    public static final int MAX_KEYS = 64;

    /** The tenant's whole key: every append takes it, shared or (a wide append) exclusive. */
    public static final String WHOLE = "*";

    private final Map<String, Boolean> keys = new HashMap<>();

    /** The keys of {@code append}'s written events and of its condition. */
    public static LockKeys of(Append append) {
        LockKeys keys = new LockKeys();
        for (StreamAppend part : append.streams()) {
            for (NewEvent event : part.events()) {
                keys.take("type:" + event.type(), false);
                event.tags().forEach(tag -> keys.take("tag:" + tag, false));
            }
        }
        if (append.condition() != null) {
            for (QueryItem item : append.condition().failIfEventsMatch().items()) {
                if (item.tags().isEmpty()) {
                    item.types().forEach(type -> keys.take("type:" + type, true));
                } else {
                    item.tags().forEach(tag -> keys.take("tag:" + tag, true));
                }
            }
        }
        return keys;
    }

    /** The append creates {@code stream}. */
    public LockKeys created(StreamId stream) {
        take("stream:" + stream.value(), true);
        return this;
    }

    /** A guard of the append expects {@code stream}, which has no row, to stay as it is. */
    public LockKeys guardedAbsent(StreamId stream) {
        take("stream:" + stream.value(), false);
        return this;
    }

    private void take(String key, boolean exclusive) {
        keys.merge(key, exclusive, Boolean::logicalOr);
    }

    /**
     * Each key's text, and whether it is taken exclusive: the append's own keys and {@value #WHOLE}
     * shared, or {@value #WHOLE} alone, exclusive, for an append with more than {@value #MAX_KEYS}.
     */
    public Map<String, Boolean> keys() {
        if (keys.size() > MAX_KEYS) {
            return Map.of(WHOLE, true);
        }
        Map<String, Boolean> taken = new HashMap<>(keys);
        taken.put(WHOLE, false);
        return Collections.unmodifiableMap(taken);
    }
}
