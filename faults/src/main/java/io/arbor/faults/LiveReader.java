package io.arbor.faults;

import io.arbor.client.ArborException;
import io.arbor.client.GlobalLogPage;
import io.arbor.client.RecordedEvent;
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

    private final Api api;
    private final String category;
    private final List<Seen> seen = new ArrayList<>();
    private volatile boolean finishWhenCaughtUp;
    private volatile boolean caughtUp;
    private volatile long errors;
    private Thread thread;

    public LiveReader(Api api, String category) {
        this.api = api;
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
            GlobalLogPage page;
            try {
                page = api.globalLog(after, 500, category);
            } catch (ArborException e) {
                errors++;
                Load.sleep(200);
                continue;
            }
            List<RecordedEvent> events = page.events();
            synchronized (this) {
                for (RecordedEvent e : events) {
                    seen.add(new Seen(e.globalPosition(), e.eventId()));
                    after = Math.max(after, e.globalPosition());
                }
            }
            after = Math.max(after, page.lastPosition());
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
