package io.arbor.cli;

import io.arbor.client.ArborClient;
import io.arbor.client.RecordedEvent;
import java.io.PrintWriter;
import java.util.List;

/** How events print: a table for people, one EVENT object per line for --json. */
final class Render {
    private Render() {}

    static void events(Common common, List<RecordedEvent> events) {
        PrintWriter out = common.out();
        if (common.json) {
            events.forEach(e -> out.println(ArborClient.toJson(e)));
            out.flush();
            return;
        }
        Table table =
                new Table("POSITION", "STREAM", "VERSION", "TYPE", "RECORDED", "EVENT-ID", "DATA");
        events.forEach(e -> row(table, e));
        table.print(out);
    }

    /**
     * One event as it arrives (tail --follow): a line now, flushed, so it cannot wait for a table's
     * column widths.
     */
    static void live(Common common, RecordedEvent e) {
        PrintWriter out = common.out();
        if (common.json) {
            out.println(ArborClient.toJson(e));
        } else {
            out.printf("%d  %s  v%d  %s  %s  %s  %s%n", cells(e));
        }
        out.flush();
    }

    static void row(Table table, RecordedEvent e) {
        table.row(cells(e));
    }

    /** An event's columns: position, stream, version, type, recorded, id, data (abridged). */
    private static Object[] cells(RecordedEvent e) {
        return new Object[] {
            e.globalPosition(),
            e.streamId(),
            e.version(),
            e.type(),
            e.recordedAt(),
            e.eventId(),
            Table.brief(e.data().toString(), 60)
        };
    }
}
