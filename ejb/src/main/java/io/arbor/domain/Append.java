package io.arbor.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An append: events for one or more of a tenant's streams, written all or none in one transaction
 * (api.md, {@code POST /streams/{id}/events} and {@code POST /events}). Each stream appears once; a
 * stream with no events is a guard. The single-stream append is the one-part case.
 *
 * @param streams the parts, in the request's order (the answer lists the written ones in it)
 * @param condition the append condition, or null: none
 */
public record Append(List<StreamAppend> streams, AppendCondition condition) {

    public Append {
        if (streams == null || streams.isEmpty()) {
            throw new InvalidInputException("/streams", "An append names at least one stream");
        }
        streams = List.copyOf(streams);
        Map<StreamId, Integer> seen = new HashMap<>();
        for (int i = 0; i < streams.size(); i++) {
            StreamAppend part = streams.get(i);
            Integer earlier = seen.put(part.streamId(), i);
            if (earlier != null) {
                throw new InvalidInputException(
                        part.at() + "/streamId",
                        "Stream "
                                + part.streamId()
                                + " is listed twice (entries "
                                + earlier
                                + " and "
                                + i
                                + "): give each stream one entry");
            }
        }
    }

    /**
     * The append of {@code events} to one stream (the body of {@code POST /streams/{id}/events}).
     */
    public static Append toStream(
            StreamId stream,
            ExpectedVersion expected,
            List<NewEvent> events,
            AppendCondition condition) {
        return new Append(List.of(new StreamAppend(stream, expected, events, "")), condition);
    }

    /** This append with its parts replaced (the same streams, their events settled). */
    public Append withStreams(List<StreamAppend> parts) {
        return new Append(parts, condition);
    }

    /** The parts that write events, in the request's order. */
    public List<StreamAppend> written() {
        return streams.stream().filter(part -> !part.isGuard()).toList();
    }

    /**
     * Every part in ascending stream-id order: the order in which an attempt locks and advances
     * their rows, so that two appends that share streams never wait for each other in a cycle.
     */
    public List<StreamAppend> inLockOrder() {
        List<StreamAppend> sorted = new ArrayList<>(streams);
        sorted.sort(Comparator.comparing(part -> part.streamId().value()));
        return sorted;
    }

    /** The events of every part. */
    public int eventCount() {
        return streams.stream().mapToInt(part -> part.events().size()).sum();
    }

    /** The first stream named: the one a lost race is reported against. */
    public StreamId firstStream() {
        return streams.get(0).streamId();
    }
}
