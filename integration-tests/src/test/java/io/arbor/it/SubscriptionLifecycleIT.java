package io.arbor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Live subscriptions end cleanly when the application stops: every subscriber's stream ends (it
 * will reconnect), and no subscription or tailer thread outlives the application (a redeploy does
 * not leak threads).
 */
class SubscriptionLifecycleIT extends ArborIT {

    @Test
    void disablingTheApplicationEndsEverySubscriptionAndLeavesNoThreadBehind() throws Exception {
        String stream = Arbor.newStream(Arbor.newCategory());
        assertEquals(201, arbor.append(stream, "0", "A").status());
        List<SseSubscriber> subscribers = new ArrayList<>();
        try {
            subscribers.add(SseSubscriber.open("/events/subscribe?type=NothingOfThisType"));
            subscribers.add(SseSubscriber.open("/streams/" + stream + "/subscribe"));
            subscribers.add(
                    SseSubscriber.open("/events/subscribe?category=" + Arbor.newCategory()));
            for (SseSubscriber subscriber : subscribers) {
                subscriber.await(f -> f.name().equals("caught-up"), 60, "caught-up");
            }
            assertTrue(threadDump().contains("arbor-subscription-"), "subscription threads run");

            Domain.asadmin("disable", "arbor");
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                for (SseSubscriber subscriber : subscribers) {
                    while (!subscriber.ended() && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    assertTrue(
                            subscriber.ended(), "a subscriber's stream outlived the application");
                }
                String threads = threadDump();
                assertFalse(threads.contains("arbor-subscription-"), "subscription threads leaked");
                assertFalse(threads.contains("arbor-log-tailer"), "the tailer thread leaked");
            } finally {
                Domain.asadmin("enable", "arbor");
                Domain.awaitReady();
            }
        } finally {
            subscribers.forEach(SseSubscriber::close);
        }
        // And subscriptions work again on the re-enabled application.
        try (SseSubscriber again = SseSubscriber.open("/streams/" + stream + "/subscribe")) {
            again.await(f -> f.name().equals("caught-up"), 60, "caught-up after enable");
            assertEquals(1, again.events().size());
        }
    }

    private static String threadDump() throws Exception {
        return Domain.asadmin("generate-jvm-report", "--type=thread");
    }
}
