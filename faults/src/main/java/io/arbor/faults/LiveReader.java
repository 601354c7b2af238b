package io.arbor.faults;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Follows the global log of one category while the writers run, the way a subscriber does: pass
 * each page's {@code lastPosition} as the next {@code after}. What it saw is compared with the
 * final log: every event exactly once, in increasing position order, none skipped.
 */
public final class LiveReader implements Runnable {
    /** One event as the reader saw it. */
    public record Seen(long position, UUID eventId) {}

    private final ArborHttp http;
    private final String category;
    private final List<Seen> seen = new ArrayList<>();
    private volatile boolean finishWhenCaughtUp;
    private volatile boolean caughtUp;
    private volatile long errors;
    private Thread thread;

    public LiveReader(ArborHttp http, String category) {
        this.http = http;
        this.category = category;
    }

    public void start() {
        thread = new Thread(this, category + "-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Read to the end of the log, then stop; waits up to {@code millis}. */
    public boolean finish(long millis) throws InterruptedException {
        finishWhenCaughtUp = true;
        thread.join(millis);
        return caughtUp;
    }

    public synchronized List<Seen> seen() {
        return List.copyOf(seen);
    }

    public synchronized int seenCount() {
        return seen.size();
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    public long errors() {
        return errors;
    }

    @Override
    public void run() {
        long after = 0;
        int emptyAfterFinish = 0;
        while (true) {
            boolean finishing = finishWhenCaughtUp;
            ArborHttp.Answer a =
                    http.get("events?after=" + after + "&limit=500&category=" + category, false);
            JsonObject page = a.status() == 200 ? Load.object(a.body()) : null;
            if (page == null) {
                errors++;
                Load.sleep(200);
                continue;
            }
            JsonArray events = page.getJsonArray("events");
            synchronized (this) {
                for (JsonValue v : events) {
                    JsonObject e = v.asJsonObject();
                    long p = e.getJsonNumber("globalPosition").longValue();
                    seen.add(new Seen(p, UUID.fromString(e.getString("eventId"))));
                    after = Math.max(after, p);
                }
            }
            if (page.containsKey("lastPosition")
                    && page.get("lastPosition").getValueType() == JsonValue.ValueType.NUMBER) {
                after = Math.max(after, page.getJsonNumber("lastPosition").longValue());
            }
            if (events.isEmpty()) {
                if (finishing && ++emptyAfterFinish >= 2) {
                    caughtUp = true;
                    return;
                }
                Load.sleep(finishing ? 100 : 50);
            }
        }
    }
}
