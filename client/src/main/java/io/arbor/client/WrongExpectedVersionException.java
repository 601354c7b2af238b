package io.arbor.client;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.List;

/**
 * 409: a stream was not at the expected version; nothing was written. {@link #streamId} and the
 * rest name the first such stream; {@link #conflicts} every one (an append to several streams).
 */
public class WrongExpectedVersionException extends ArborProblemException {
    public WrongExpectedVersionException(Problem problem) {
        super(problem);
    }

    /** The stream. */
    public String streamId() {
        return problem().string("streamId");
    }

    /**
     * The expectation that failed: a number or {@code any}/{@code no_stream}/{@code stream_exists}.
     */
    public String expectedVersion() {
        return problem().string("expectedVersion");
    }

    /** The stream's version when the append was refused (0: it does not exist). */
    public long actualVersion() {
        return problem().number("actualVersion");
    }

    /** One stream that was not at its expected version. */
    public record Conflict(String streamId, String expectedVersion, long actualVersion) {}

    /** Every stream of the append that was not at its expected version. */
    public List<Conflict> conflicts() {
        JsonArray conflicts = problem().body().getJsonArray("conflicts");
        if (conflicts == null) {
            return List.of(new Conflict(streamId(), expectedVersion(), actualVersion()));
        }
        return conflicts.getValuesAs(JsonObject.class).stream()
                .map(
                        conflict ->
                                new Conflict(
                                        conflict.getString("streamId"),
                                        conflict.get("expectedVersion") instanceof JsonString text
                                                ? text.getString()
                                                : conflict.get("expectedVersion").toString(),
                                        conflict.getJsonNumber("actualVersion").longValue()))
                .toList();
    }
}
