package io.arbor.domain;

import java.util.List;
import java.util.Optional;

/**
 * What the writer believes about the stream's current version. A stream that does not exist has
 * version 0.
 */
public record ExpectedVersion(Kind kind, long version) {

    public enum Kind {
        /** No expectation: append whatever the stream's version. */
        ANY("any"),
        /** The stream must not exist yet. */
        NO_STREAM("no_stream"),
        /** The stream must exist, at any version. */
        STREAM_EXISTS("stream_exists"),
        /** The stream's version must be exactly {@link #version()}. */
        EXACT(null);

        private final String keyword;

        Kind(String keyword) {
            this.keyword = keyword;
        }
    }

    public static final ExpectedVersion ANY = new ExpectedVersion(Kind.ANY, -1);
    public static final ExpectedVersion NO_STREAM = new ExpectedVersion(Kind.NO_STREAM, -1);
    public static final ExpectedVersion STREAM_EXISTS = new ExpectedVersion(Kind.STREAM_EXISTS, -1);

    public ExpectedVersion {
        if (kind == null) {
            throw new InvalidInputException("/expectedVersion", "expectedVersion is required");
        }
        if (kind == Kind.EXACT && version < 0) {
            throw new InvalidInputException(
                    "/expectedVersion", "expectedVersion must be 0 or a positive integer");
        }
    }

    public static ExpectedVersion exactly(long version) {
        return new ExpectedVersion(Kind.EXACT, version);
    }

    /** Parses one of the keywords {@code any}, {@code no_stream}, {@code stream_exists}. */
    public static ExpectedVersion ofKeyword(String keyword) {
        for (Kind kind : Kind.values()) {
            if (kind.keyword != null && kind.keyword.equals(keyword)) {
                return new ExpectedVersion(kind, -1);
            }
        }
        throw new InvalidInputException(
                "/expectedVersion",
                "expectedVersion must be an integer or one of \"any\", \"no_stream\","
                        + " \"stream_exists\"");
    }

    /** Whether a stream at {@code currentVersion} (0 when it does not exist) meets this. */
    public boolean isMetBy(long currentVersion) {
        return switch (kind) {
            case ANY -> true;
            case NO_STREAM -> currentVersion == 0;
            case STREAM_EXISTS -> currentVersion > 0;
            case EXACT -> currentVersion == version;
        };
    }

    /**
     * Refuses an append to {@code stream} at {@code head} (0 when it does not exist) unless the
     * head meets this: the one place where an unmet expectation becomes a {@link
     * WrongExpectedVersionException} (style.md, habit 4).
     */
    public void check(StreamId stream, long head) {
        conflictAt(stream, head)
                .ifPresent(
                        conflict -> {
                            throw new WrongExpectedVersionException(List.of(conflict));
                        });
    }

    /**
     * The conflict of {@code stream} at {@code head} with this, if it does not meet it: an append
     * of several streams collects every one before it refuses ({@link
     * WrongExpectedVersionException}).
     */
    public Optional<WrongExpectedVersionException.Conflict> conflictAt(StreamId stream, long head) {
        return isMetBy(head)
                ? Optional.empty()
                : Optional.of(new WrongExpectedVersionException.Conflict(stream, this, head));
    }

    /**
     * Whether the writer named one precise version, so that any concurrent append invalidates its
     * expectation. Appends with a loose expectation lock the stream row instead of racing for it.
     */
    public boolean isPrecise() {
        return kind == Kind.EXACT || kind == Kind.NO_STREAM;
    }

    /** The expectation as the API spells it: a number or a keyword. */
    public Object asJsonValue() {
        return kind == Kind.EXACT ? (Object) version : kind.keyword;
    }

    @Override
    public String toString() {
        return String.valueOf(asJsonValue());
    }
}
