package dev.ciobridge.forwarding;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.ciobridge.testing.RunningService;

/** How delivery handles Track API failures: 429, 5xx, 4xx and 207, each for its own account. */
class DeliveryRetryTest extends ForwardingTestSupport {

    @AfterEach
    void restoreStub() {
        resetStub();
    }

    /** Makes the stub respond to this account's first Track call with {@code first}, and to every later one with 200. */
    private static void failFirstCall(Account account, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder first) {
        String scenario = "first-call-" + account.siteId();
        customerIo.stubFor(any(anyUrl()).atPriority(1)
                .withHeader("Authorization", equalTo(account.authorization()))
                .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(first).willSetStateTo("answered"));
        customerIo.stubFor(any(anyUrl()).atPriority(1)
                .withHeader("Authorization", equalTo(account.authorization()))
                .inScenario(scenario).whenScenarioStateIs("answered")
                .willReturn(okJson("{}")));
    }

    private static String oneEvent(String id, String person) {
        return "{\"id\":\"" + id + "\",\"name\":\"report_exported\",\"person\":{\"id\":\"" + person
                + "\"},\"timestamp\":1767225600,\"data\":{\"rows\":12}}";
    }

    @Test
    void rateLimitHonoursRetryAfter() throws Exception {
        Account account = newAccount();
        failFirstCall(account, status(429).withHeader("Retry-After", "1")
                .withBody("{\"errors\":[{\"detail\":\"rate limited\",\"status\":\"429\"}]}"));

        assertThat(postEvents(account, oneEvent("evt-429-a", "u1")).status()).isEqualTo(200);

        await().atMost(DELIVERY_WAIT).until(() -> trackRequests(account).size() >= 2);
        List<LoggedRequest> requests = trackRequests(account);
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).getBodyAsString()).isEqualTo(requests.get(0).getBodyAsString());
        long waitedMillis = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
        assertThat(waitedMillis).as("retry waited for Retry-After: 1").isGreaterThanOrEqualTo(950);
        assertThat(deadLetters(account)).isEmpty();
    }

    @Test
    void rateLimitWithoutRetryAfterBacksOff() throws Exception {
        Account account = newAccount();
        failFirstCall(account, status(429).withBody("{}"));

        assertThat(postEvents(account, oneEvent("evt-429-b", "u2")).status()).isEqualTo(200);

        await().atMost(DELIVERY_WAIT).until(() -> trackRequests(account).size() >= 2);
        Thread.sleep(300);
        List<LoggedRequest> requests = trackRequests(account);
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).getBodyAsString()).isEqualTo(requests.get(0).getBodyAsString());
        assertThat(deadLetters(account)).isEmpty();
    }

    @Test
    void unavailableThenSuccessRetries() throws Exception {
        Account account = newAccount();
        failFirstCall(account, status(503).withBody("Server unavailable"));

        assertThat(postEvents(account, oneEvent("evt-503", "u3")).status()).isEqualTo(200);

        await().atMost(DELIVERY_WAIT).until(() -> trackRequests(account).size() >= 2);
        Thread.sleep(300);
        List<LoggedRequest> requests = trackRequests(account);
        assertThat(requests).hasSize(2);
        JsonNode first = operationsOf(requests.get(0)).get(0);
        JsonNode second = operationsOf(requests.get(1)).get(0);
        assertThat(second.get("id").asText()).as("the retry carries the same ULID").isEqualTo(first.get("id").asText());
        assertThat(deadLetters(account)).isEmpty();
    }

    @Test
    void persistentServerErrorDeadLettersAfterBudget() throws Exception {
        Account account = newAccount();
        customerIo.stubFor(any(anyUrl()).atPriority(1).withHeader("Authorization", equalTo(account.authorization()))
                .willReturn(status(500).withBody("boom")));

        assertThat(postEvents(account, oneEvent("evt-500", "u4")).status()).isEqualTo(200);

        await().atMost(DELIVERY_WAIT).until(() -> deadLetters(account).size() == 1);
        JsonNode letter = deadLetters(account).get(0);
        assertThat(letter.get("attempts").asInt()).isEqualTo(4);
        assertThat(letter.get("reason").asText()).contains("Gave up after 4 attempts").contains("500");
        assertThat(trackRequests(account)).hasSize(4);
    }

    @Test
    void badRequestDeadLettersAndReplays() throws Exception {
        Account account = newAccount();
        failFirstCall(account, status(400).withBody("{\"meta\":{\"errors\":[\"event name is invalid\"]}}"));

        assertThat(postEvents(account, oneEvent("evt-400", "u5")).status()).isEqualTo(200);

        await().atMost(DELIVERY_WAIT).until(() -> deadLetters(account).size() == 1);
        JsonNode letter = deadLetters(account).get(0);
        assertThat(letter.get("status_code").asInt()).isEqualTo(400);
        assertThat(letter.get("reason").asText()).contains("event name is invalid");
        assertThat(letter.get("source_event_id").asText()).isEqualTo("evt-400");
        assertThat(trackRequests(account)).as("a 400 is not retried").hasSize(1);

        RunningService.Reply replay = service.admin("POST", "/dead-letters/" + letter.get("id").asText() + "/replay", null);

        assertThat(replay.status()).as(replay.text()).isEqualTo(202);
        await().atMost(DELIVERY_WAIT).until(() -> trackRequests(account).size() == 2);
        assertThat(deadLetters(account)).isEmpty();
        assertThat(operationsOf(trackRequests(account).get(1)).get(0).get("id").asText())
                .isEqualTo(operationsOf(trackRequests(account).get(0)).get(0).get("id").asText());
    }

    @Test
    void partialBatchFailsOnlyListedItem() throws Exception {
        Account account = newAccount();
        customerIo.stubFor(any(anyUrl()).atPriority(1).withHeader("Authorization", equalTo(account.authorization()))
                .willReturn(status(207).withBody("{\"errors\":[{\"batch_index\":1,\"reason\":\"invalid\",\"field\":\"attributes.plan\","
                        + "\"message\":\"value is longer than 1000 bytes\"}]}")));

        RunningService.Reply reply = postEvents(account, "[" + oneEvent("evt-207-a", "p1") + "," + oneEvent("evt-207-b", "p2")
                + "," + oneEvent("evt-207-c", "p3") + "]");

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        await().atMost(DELIVERY_WAIT).until(() -> deadLetters(account).size() == 1);
        Thread.sleep(300);
        List<LoggedRequest> requests = trackRequests(account);
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getUrl()).isEqualTo("/api/v2/batch");
        JsonNode letter = deadLetters(account).get(0);
        assertThat(letter.get("source_event_id").asText()).isEqualTo("evt-207-b");
        assertThat(letter.get("reason").asText()).contains("attributes.plan").contains("longer than 1000 bytes");
        assertConformToTrackApi(requests);
    }

    @Test
    void rejectedBatchIsolatesBadItem() throws Exception {
        Account account = newAccount();
        customerIo.stubFor(any(anyUrl()).atPriority(2).withHeader("Authorization", equalTo(account.authorization()))
                .willReturn(status(400).withBody("{\"errors\":[{\"reason\":\"invalid\",\"field\":\"batch\",\"message\":\"bad item\"}]}")));
        customerIo.stubFor(any(anyUrl()).atPriority(1).withHeader("Authorization", equalTo(account.authorization()))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("evt-bad"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("\"batch\""))
                .willReturn(okJson("{}")));

        RunningService.Reply reply = postEvents(account, "[" + oneEvent("evt-good-1", "q1") + ","
                + oneEvent("evt-bad", "q2").replace("report_exported", "evt-bad") + "," + oneEvent("evt-good-2", "q3") + "]");

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        await().atMost(DELIVERY_WAIT).until(() -> deadLetters(account).size() == 1);
        assertThat(deadLetters(account).get(0).get("source_event_id").asText()).isEqualTo("evt-bad");
        List<LoggedRequest> requests = trackRequests(account);
        assertThat(requests.get(0).getUrl()).isEqualTo("/api/v2/batch");
        assertThat(requests).hasSize(4);
    }

    @Test
    void personOrderSurvivesRetry() throws Exception {
        Account account = newAccount();
        failFirstCall(account, status(503).withBody("unavailable"));

        postEvents(account, oneEvent("evt-order-1", "same-person"));
        await().atMost(DELIVERY_WAIT).until(() -> trackRequests(account).size() >= 1);
        postEvents(account, oneEvent("evt-order-2", "same-person").replace("report_exported", "second_event"));

        await().atMost(DELIVERY_WAIT).until(() -> eventsByName(operations(account)).containsKey("second_event"));
        List<JsonNode> operations = operations(account);
        List<String> names = operations.stream().map(op -> op.get("name").asText()).toList();
        assertThat(names).containsExactly("report_exported", "report_exported", "second_event");
    }
}
