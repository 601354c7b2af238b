package io.arbor.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.domain.InvalidInputException;
import io.arbor.domain.StreamId;
import io.arbor.domain.groups.DeliveryStrategy;
import io.arbor.domain.groups.LogPoint;
import io.arbor.domain.groups.NackAction;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The consumer-group bodies: defaults, every field, and the 400s with their pointers. */
class GroupRequestsTest {
    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static String refusedPointer(Function<JsonObject, ?> parse, String body) {
        return assertThrows(InvalidInputException.class, () -> parse.apply(json(body))).pointer();
    }

    @Test
    void anEmptyGroupBodyTakesTheDefaults() {
        GroupRequest request = GroupRequest.from(json("{}"));
        assertEquals(DeliveryStrategy.ROUND_ROBIN, request.settings().strategy());
        assertEquals(10, request.settings().maxRetries());
        assertEquals(30, request.settings().ackTimeoutSeconds());
        assertEquals(1000, request.settings().maxInFlight());
        assertEquals(LogPoint.BEGINNING, request.startFrom());
        assertNull(request.settings().filter().category());
        assertNull(request.settings().filter().stream());
    }

    @Test
    void readsEveryGroupField() {
        GroupRequest request =
                GroupRequest.from(
                        json(
                                "{\"filter\":{\"category\":\"order\",\"type\":\"Paid\"},"
                                        + "\"startFrom\":\"end\",\"strategy\":\"pinned\","
                                        + "\"maxRetries\":0,\"ackTimeoutSeconds\":5,"
                                        + "\"maxInFlight\":7}"));
        assertEquals("order", request.settings().filter().category());
        assertEquals("Paid", request.settings().filter().type());
        assertEquals(DeliveryStrategy.PINNED, request.settings().strategy());
        assertEquals(0, request.settings().maxRetries());
        assertEquals(5, request.settings().ackTimeoutSeconds());
        assertEquals(7, request.settings().maxInFlight());
        assertTrue(request.startFrom().isEnd());
        assertEquals(
                StreamId.of("order-1"),
                GroupRequest.from(json("{\"filter\":{\"streamId\":\"order-1\"},\"startFrom\":42}"))
                        .settings()
                        .filter()
                        .stream());
        assertEquals(42, GroupRequest.from(json("{\"startFrom\":42}")).startFrom().position());
    }

    @Test
    void refusesBadGroupBodiesNamingTheField() {
        Function<JsonObject, ?> parse = GroupRequest::from;
        assertEquals("/strategy", refusedPointer(parse, "{\"strategy\":\"random\"}"));
        assertEquals("/maxRetries", refusedPointer(parse, "{\"maxRetries\":-1}"));
        assertEquals("/ackTimeoutSeconds", refusedPointer(parse, "{\"ackTimeoutSeconds\":0}"));
        assertEquals("/maxInFlight", refusedPointer(parse, "{\"maxInFlight\":10001}"));
        assertEquals("/startFrom", refusedPointer(parse, "{\"startFrom\":-1}"));
        assertEquals("/startFrom", refusedPointer(parse, "{\"startFrom\":\"middle\"}"));
        assertEquals("/startFrom", refusedPointer(parse, "{\"startFrom\":1.5}"));
        assertEquals("/filter/tags", refusedPointer(parse, "{\"filter\":{\"tags\":[\"a:1\"]}}"));
        assertEquals("/filter/colour", refusedPointer(parse, "{\"filter\":{\"colour\":\"x\"}}"));
        assertEquals("/filter", refusedPointer(parse, "{\"filter\":[]}"));
        assertEquals(
                "/filter/streamId",
                refusedPointer(parse, "{\"filter\":{\"streamId\":\"a-1\",\"category\":\"a\"}}"));
        assertEquals(
                "/filter/streamId", refusedPointer(parse, "{\"filter\":{\"streamId\":\"a b\"}}"));
        assertEquals("/extra", refusedPointer(parse, "{\"extra\":1}"));
    }

    @Test
    void fetchTakesDefaultsAndRefusesOutOfRange() {
        FetchRequest fetch = FetchRequest.from(json("{\"consumer\":\"c-1\"}"));
        assertEquals("c-1", fetch.consumer());
        assertEquals(100, fetch.max());
        assertEquals(0, fetch.waitSeconds());
        Function<JsonObject, ?> parse = FetchRequest::from;
        assertEquals("/consumer", refusedPointer(parse, "{}"));
        assertEquals("/consumer", refusedPointer(parse, "{\"consumer\":\"\"}"));
        assertEquals("/consumer", refusedPointer(parse, "{\"consumer\":\"a\\nb\"}"));
        assertEquals(
                "/consumer", refusedPointer(parse, "{\"consumer\":\"" + "c".repeat(101) + "\"}"));
        assertEquals("/max", refusedPointer(parse, "{\"consumer\":\"c\",\"max\":0}"));
        assertEquals(
                "/waitSeconds", refusedPointer(parse, "{\"consumer\":\"c\",\"waitSeconds\":61}"));
    }

    @Test
    void acksAndNacksNameEachBadId() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        LeaseRequest ack =
                LeaseRequest.ack(
                        json("{\"consumer\":\"c\",\"eventIds\":[\"" + a + "\",\"" + b + "\"]}"));
        assertEquals(List.of(a, b), ack.eventIds());
        LeaseRequest nack =
                LeaseRequest.nack(
                        json(
                                "{\"consumer\":\"c\",\"eventIds\":[\""
                                        + a
                                        + "\"],\"action\":\"park\"}"));
        assertEquals(NackAction.PARK, nack.action());
        Function<JsonObject, ?> parseAck = LeaseRequest::ack;
        assertEquals("/eventIds", refusedPointer(parseAck, "{\"consumer\":\"c\",\"eventIds\":[]}"));
        assertEquals("/eventIds", refusedPointer(parseAck, "{\"consumer\":\"c\"}"));
        assertEquals(
                "/eventIds/1",
                refusedPointer(
                        parseAck, "{\"consumer\":\"c\",\"eventIds\":[\"" + a + "\",\"x\"]}"));
        assertEquals(
                "/eventIds/1",
                refusedPointer(
                        parseAck,
                        "{\"consumer\":\"c\",\"eventIds\":[\"" + a + "\",\"" + a + "\"]}"));
        assertEquals(
                "/action",
                refusedPointer(
                        LeaseRequest::nack,
                        "{\"consumer\":\"c\",\"eventIds\":[\"" + a + "\"],\"action\":\"drop\"}"));
        assertEquals(
                "/action",
                refusedPointer(
                        parseAck,
                        "{\"consumer\":\"c\",\"eventIds\":[\"" + a + "\"],\"action\":\"skip\"}"));
    }

    @Test
    void resetNeedsATarget() {
        assertEquals(LogPoint.BEGINNING, ResetRequest.from(json("{\"to\":\"beginning\"}")).to());
        assertEquals(7, ResetRequest.from(json("{\"to\":7}")).to().position());
        assertEquals("/to", refusedPointer(ResetRequest::from, "{}"));
        assertEquals("/to", refusedPointer(ResetRequest::from, "{\"to\":\"7\"}"));
    }
}
