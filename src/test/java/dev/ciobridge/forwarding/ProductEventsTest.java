package dev.ciobridge.forwarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

import dev.ciobridge.testing.RunningService;

/** The platform's product events: signature, validation, identifiers and the Track requests they become. */
class ProductEventsTest extends ForwardingTestSupport {

    private static String event(String id, String person, String extra) {
        return "{\"id\":\"" + id + "\",\"name\":\"report_exported\",\"person\":" + person + extra + "}";
    }

    /** Sends one event for the person and returns the single Track request it became. */
    private static LoggedRequest deliverOne(Account account, String person) throws Exception {
        RunningService.Reply reply = postEvents(account, event("evt-" + System.nanoTime(), person, ""));
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        await().atMost(DELIVERY_WAIT).until(() -> !trackRequests(account).isEmpty());
        List<LoggedRequest> requests = trackRequests(account);
        assertThat(requests).hasSize(1);
        assertConformToTrackApi(requests);
        return requests.get(0);
    }

    @Test
    void slashInIdIsOneSegment() throws Exception {
        LoggedRequest request = deliverOne(newAccount(), "{\"id\":\"org/42\"}");

        assertThat(request.getUrl()).isEqualTo("/api/v1/customers/org%2F42/events");
    }

    @Test
    void unusualCharactersArriveIntact() throws Exception {
        LoggedRequest request = deliverOne(newAccount(), "{\"id\":\"a b+c%d é😀\"}");

        assertThat(request.getUrl()).isEqualTo("/api/v1/customers/a%20b%2Bc%25d%20%C3%A9%F0%9F%98%80/events");
    }

    @Test
    void emailShapedIdUsesEntityEndpoint() throws Exception {
        LoggedRequest request = deliverOne(newAccount(), "{\"id\":\"user@tenant\"}");

        assertThat(request.getUrl()).isEqualTo("/api/v2/entity");
        assertThat(operationsOf(request).get(0).get("identifiers").toString()).isEqualTo("{\"id\":\"user@tenant\"}");
    }

    @Test
    void dotIdUsesEntityEndpoint() throws Exception {
        LoggedRequest request = deliverOne(newAccount(), "{\"id\":\"..\"}");

        assertThat(request.getUrl()).isEqualTo("/api/v2/entity");
        assertThat(operationsOf(request).get(0).get("identifiers").toString()).isEqualTo("{\"id\":\"..\"}");
    }

    @Test
    void numericIdsMatchTheirStringForm() throws Exception {
        Account account = newAccount();

        postEvents(account, "[" + event("n1", "{\"id\":1234567890123}", "") + "," + event("n2", "{\"id\":\"1234567890123\"}", "")
                + "," + event("n3", "{\"id\":42}", "") + "," + event("n4", "{\"id\":1.234567890123E12}", "") + "]");

        await().atMost(DELIVERY_WAIT).until(() -> operations(account).size() == 4);
        List<String> ids = operations(account).stream().map(op -> op.get("identifiers").get("id").asText()).toList();
        assertThat(ids).containsExactly("1234567890123", "1234567890123", "42", "1234567890123");
    }

    @Test
    void millisecondTimestampIsConverted() throws Exception {
        Account account = newAccount();

        postEvents(account, "[" + event("t1", "{\"id\":\"u\"}", ",\"timestamp\":1767225600000") + ","
                + event("t2", "{\"id\":\"u\"}", ",\"timestamp\":\"2026-01-14T20:36:48.6527521Z\"") + ","
                + event("t3", "{\"id\":\"u\"}", ",\"timestamp\":\"2026-01-01T01:00:00+0100\"") + "]");

        await().atMost(DELIVERY_WAIT).until(() -> operations(account).size() == 3);
        List<Long> timestamps = operations(account).stream().map(op -> op.get("timestamp").asLong()).toList();
        assertThat(timestamps).containsExactly(1767225600L, 1768423008L, 1767225600L);
    }

    @Test
    void dataIdStaysInsideData() throws Exception {
        Account account = newAccount();

        postEvents(account, event("evt-invoice-data", "{\"id\":\"u7\"}", ",\"data\":{\"id\":\"in_123\",\"nested\":{\"a\":[1,2]}}"));

        await().atMost(DELIVERY_WAIT).until(() -> operations(account).size() == 1);
        JsonNode operation = operations(account).get(0);
        assertThat(operation.get("attributes").toString()).isEqualTo("{\"id\":\"in_123\",\"nested\":{\"a\":[1,2]}}");
        assertThat(operation.get("id").asText()).hasSize(26).isNotEqualTo("in_123");
    }

    @Test
    void ulidComesFromEventNotPerson() throws Exception {
        Account account = newAccount();

        postEvents(account, "[" + event("e-1", "{\"id\":\"same\"}", ",\"timestamp\":1767225600") + ","
                + event("e-2", "{\"id\":\"same\"}", ",\"timestamp\":1767225600") + "]");

        await().atMost(DELIVERY_WAIT).until(() -> operations(account).size() == 2);
        List<JsonNode> operations = operations(account);
        assertThat(operations.get(0).get("id").asText()).isNotEqualTo(operations.get(1).get("id").asText());
    }

    @Test
    void accentsAndEmojiKeepEveryByte() throws Exception {
        Account account = newAccount();
        String text = "Crème brûlée 🍮 ".repeat(200);

        postEvents(account, event("evt-utf8", "{\"email\":\"Zoë@Example.com\"}", ",\"data\":{\"note\":\"" + text + "\"}"));

        await().atMost(DELIVERY_WAIT).until(() -> operations(account).size() == 1);
        LoggedRequest request = trackRequests(account).get(0);
        assertThat(request.getHeader("Content-Length")).isEqualTo(Integer.toString(request.getBody().length));
        JsonNode operation = operationsOf(request).get(0);
        assertThat(operation.get("attributes").get("note").asText()).isEqualTo(text);
        assertThat(operation.get("identifiers").get("email").asText()).isEqualTo("zoë@example.com");
    }

    @Test
    void attributesIdentifyBeforeEvent() throws Exception {
        Account account = newAccount();

        postEvents(account, event("evt-attrs", "{\"cio_id\":\"cio_a1b2c3\"}", ",\"attributes\":{\"plan\":\"pro\"}"));

        await().atMost(DELIVERY_WAIT).until(() -> operations(account).size() == 2);
        List<JsonNode> operations = operations(account);
        assertThat(operations.get(0).get("action").asText()).isEqualTo("identify");
        assertThat(operations.get(0).get("identifiers").toString()).isEqualTo("{\"cio_id\":\"a1b2c3\"}");
        assertThat(operations.get(1).get("action").asText()).isEqualTo("event");
        assertConformToTrackApi(trackRequests(account));
    }

    @Test
    void invalidEventsAreRejectedWithField() throws Exception {
        Account account = newAccount();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"name\":\"x\",\"person\":{\"id\":\"u\"}}", "event.id");
        cases.put("[{\"id\":\"a\",\"name\":\"x\",\"person\":{\"id\":\"u\"}},{\"id\":\"b\",\"person\":{\"id\":\"u\"}}]", "events[1].name");
        cases.put("{\"id\":\"a\",\"name\":\"x\"}", "event.person");
        cases.put("{\"id\":\"a\",\"name\":\"x\",\"person\":{}}", "event.person");
        cases.put("{\"id\":\"a\",\"name\":\"x\",\"person\":{\"email\":\"not-an-email\"}}", "event.person.email");
        cases.put("{\"id\":\"a\",\"name\":\"x\",\"person\":{\"id\":\"u\"},\"timestamp\":\"yesterday\"}", "event.timestamp");
        cases.put("{\"id\":\"a\",\"name\":\"x\",\"person\":{\"id\":\"u\"},\"timestamp\":\"NaN\"}", "event.timestamp");
        cases.put("{\"id\":\"a\",\"name\":\"x\",\"person\":{\"id\":\"u\"},\"data\":[1]}", "event.data");
        cases.put("{\"id\":\"a\",\"name\":\"x\",\"person\":{\"id\":\"u\"},\"colour\":1}", "colour");
        cases.put("{\"id\":\"a\",\"name\":\"" + "n".repeat(101) + "\",\"person\":{\"id\":\"u\"}}", "event name");
        cases.put("{\"id\":\"a\",\"name\":\"x\",\"person\":{\"id\":\"" + "é".repeat(76) + "\"}}", "150");
        cases.put("{\"id\":\"a\",\"name\":\"x\",\"person\":{\"id\":\"u\"},\"attributes\":{\"plan\":\"" + "p".repeat(1001) + "\"}}", "attributes.plan");
        cases.put("[]", "empty array");
        cases.put("{\"id\":\"a\",\"name\":\"x\",\"person\":{\"id\":\"u\"}}{\"id\":\"b\"}", "Malformed JSON");
        cases.put("{\"id\":\"a\",\"name\":\"x\",\"person\":{\"id\":\"u\",\"email\":\"u@example.com\"}}", "exactly one");
        cases.put("{\"id\":\"a\",\"name\":\"x\",\"person\":{\"uid\":\"u\"}}", "'uid'");
        cases.put("{\"id\":\"a\",\"name\":\"x\",\"person\":{\"id\":\"u\"},\"timestamp\":1.5}", "event.timestamp");
        cases.put("{\"id\":\"a\",\"name\":\"x\",\"person\":{\"id\":\"u\"},\"timestamp\":99999999999999999999}", "event.timestamp");
        cases.put("{\"id\":\"a\",", "Malformed JSON");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            RunningService.Reply reply = postEvents(account, entry.getKey());

            assertThat(reply.status()).as(entry.getKey()).isBetween(400, 422);
            assertThat(reply.json().get("message").asText()).as(entry.getKey()).contains(entry.getValue());
        }
        Thread.sleep(300);
        assertThat(trackRequests(account)).as("nothing rejected was stored or sent").isEmpty();
    }

    @Test
    void repeatedIdInArrayIsReported() throws Exception {
        Account account = newAccount();
        String a = event("rep-a", "{\"id\":\"u\"}", "");

        RunningService.Reply reply = postEvents(account, "[" + a + "," + event("rep-b", "{\"id\":\"u\"}", "") + "," + a + "]");

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        JsonNode events = reply.json().get("events");
        assertThat(events).hasSize(3);
        assertThat(events.get(0).get("status").asText()).isEqualTo("accepted");
        assertThat(events.get(2).get("id").asText()).isEqualTo("rep-a");
        assertThat(events.get(2).get("status").asText()).isEqualTo("duplicate");
        await().atMost(DELIVERY_WAIT).until(() -> operations(account).size() == 2);
        Thread.sleep(300);
        assertThat(operations(account)).hasSize(2);
    }

    @Test
    void badSignatureIsRejected() throws Exception {
        Account account = newAccount();
        byte[] body = event("evt-sig", "{\"id\":\"u\"}", "").getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis() / 1000;

        RunningService.Reply wrong = service.request("POST", "/webhooks/events/" + account.id(), Map.of(
                "webhook-id", "msg_1", "webhook-timestamp", Long.toString(now),
                "webhook-signature", "v1," + standardSignature("msg_other", now, body)), body);
        RunningService.Reply stale = service.request("POST", "/webhooks/events/" + account.id(), Map.of(
                "webhook-id", "msg_1", "webhook-timestamp", Long.toString(now - 400),
                "webhook-signature", "v1," + standardSignature("msg_1", now - 400, body)), body);
        RunningService.Reply rotated = service.request("POST", "/webhooks/events/" + account.id(), Map.of(
                "webhook-id", "msg_1", "webhook-timestamp", Long.toString(now),
                "webhook-signature", "v1,AAAA v1," + standardSignature("msg_1", now, body)), body);

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.json().get("message").asText()).contains("tolerance");
        assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
    }
}
