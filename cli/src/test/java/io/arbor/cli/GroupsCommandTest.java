package io.arbor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code arbor groups …} against {@link FakeArbor}: what each command sends, prints and exits with.
 * (Against the real server: CliIT.)
 */
class GroupsCommandTest {
    private final FakeArbor arbor = FakeArbor.open();

    @AfterEach
    void close() {
        arbor.close();
    }

    private CliRun groups(String command, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "groups";
        all[1] = command;
        all[2] = "--url";
        all[3] = arbor.url().toString();
        System.arraycopy(args, 0, all, 4, args.length);
        return CliRun.run(all);
    }

    @Test
    void createShowListAndDeleteAGroupAndAFilterThatChangesIsRefused() {
        arbor.append("a-1", 3);
        CliRun created =
                groups(
                        "create",
                        "g",
                        "--category",
                        "a",
                        "--strategy",
                        "pinned",
                        "--max-retries",
                        "3",
                        "--ack-timeout",
                        "5",
                        "--json");
        assertEquals(0, created.status(), created.toString());
        JsonObject group = created.json().get(0);
        assertEquals("created", group.getString("outcome"));
        assertEquals("a", group.getJsonObject("filter").getString("category"));
        assertTrue(group.getJsonObject("filter").isNull("streamId"));
        assertEquals("pinned", group.getString("strategy"));
        assertEquals(3, group.getInt("maxRetries"));
        assertEquals(5, group.getInt("ackTimeoutSeconds"));
        assertEquals(3, group.getInt("lag"));

        CliRun updated = groups("create", "g", "--category", "a", "--max-in-flight", "7");
        assertEquals(0, updated.status(), updated.toString());
        assertTrue(updated.out().startsWith("group g: updated (position kept)"), updated.out());
        assertTrue(updated.out().contains("strategy           round-robin"), updated.out());
        assertTrue(updated.out().contains("maxInFlight        7"), updated.out());

        CliRun refused = groups("create", "g", "--category", "b");
        assertEquals(ArborCli.PROBLEM, refused.status(), refused.toString());
        assertTrue(refused.err().contains("409 group-filter-changed"), refused.err());

        CliRun show = groups("show", "g");
        assertEquals(0, show.status(), show.toString());
        assertTrue(show.out().contains("filter             category=a"), show.out());
        assertTrue(show.out().contains("c-1"), show.out());
        CliRun list = groups("list");
        assertTrue(list.out().contains("g      category=a"), list.out());
        assertTrue(list.out().endsWith("1 group\n"), list.out());
        assertEquals("g", groups("list", "--json").json().get(0).getString("group"));

        assertEquals("group g: deleted\n", groups("delete", "g").out());
        CliRun gone = groups("show", "g");
        assertEquals(ArborCli.PROBLEM, gone.status(), gone.toString());
        assertTrue(gone.err().startsWith("arbor: 404 group-not-found"), gone.err());
    }

    @Test
    void parkedEventsAreListedAndReplayedAndAResetMovesTheCheckpoint() {
        arbor.append("a-1", 4);
        groups("create", "g");
        arbor.park("g", "a-1", 2);
        arbor.park("g", "a-1", 4);

        CliRun parked = groups("parked", "g");
        assertEquals(0, parked.status(), parked.toString());
        assertTrue(parked.out().contains("max-retries"), parked.out());
        assertTrue(parked.out().endsWith("2 parked events\n"), parked.out());
        List<JsonObject> json = groups("parked", "g", "--json").json();
        assertEquals(List.of(2, 4), json.stream().map(e -> e.getInt("version")).toList());
        assertEquals(11, json.get(0).getInt("deliveryAttempt"));
        assertEquals("max-retries", json.get(0).getString("parkReason"));

        assertEquals("group g: 2 parked events replayed\n", groups("replay-parked", "g").out());
        assertEquals(0, groups("replay-parked", "g", "--json").json().get(0).getInt("replayed"));

        JsonObject reset = groups("reset", "g", "--to", "3", "--json").json().get(0);
        assertEquals(3, reset.getInt("checkpoint"));
        assertEquals("reset to 3", reset.getString("outcome"));
        assertEquals(
                4,
                groups("reset", "g", "--to", "end", "--json").json().get(0).getInt("checkpoint"));
    }

    @Test
    void aBadLogPointOrStrategyIsBadUsageAndAsksTheServerNothing() {
        for (CliRun run :
                List.of(
                        groups("reset", "g", "--to", "soon"),
                        groups("reset", "g"),
                        groups("create", "g", "--start-from", "-1"),
                        groups("create", "g", "--strategy", "random"),
                        groups("create", "g", "--max-retries", "many"))) {
            assertEquals(2, run.status(), run.toString());
        }
        assertEquals(List.of(), arbor.requests);
    }
}
