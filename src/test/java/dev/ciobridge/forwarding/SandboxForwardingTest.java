package dev.ciobridge.forwarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ciobridge.sandbox.EmbeddedSandbox;
import dev.ciobridge.sandbox.EventRecord;
import dev.ciobridge.sandbox.FaultSettings;
import dev.ciobridge.sandbox.SandboxWorkspace;
import dev.ciobridge.testing.RunningService;

/**
 * Forwarding against the embedded simulator instead of a plain stub: a simulator that enforces Customer.io's
 * limits, deduplicates on the event ULID and, here, responds with a share of 503s and 429 storms.
 */
class SandboxForwardingTest {

    private static final String EVENTS_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "sandbox-events-key-0123456789".getBytes(StandardCharsets.UTF_8));

    static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start("http://127.0.0.1:9", Map.of("cio-bridge.delivery.max-attempts", "50"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static SandboxWorkspace workspace(String accountId) throws Exception {
        String siteId = service.admin("GET", "/integrated-accounts/" + accountId, null).json().get("site_id").asText();
        EmbeddedSandbox sandbox = service.main().getCamelContext().getRegistry()
                .lookupByNameAndType("embeddedSandbox", EmbeddedSandbox.class);
        return sandbox.find(siteId).orElseThrow();
    }

    private static RunningService.Reply postEvents(String account, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String messageId = "msg_" + System.nanoTime();
        long timestamp = System.currentTimeMillis() / 1000;
        return service.request("POST", "/webhooks/events/" + account, Map.of(
                "webhook-id", messageId,
                "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", "v1," + ForwardingTestSupport.standardSignature(messageId, timestamp, body, EVENTS_SECRET),
                "Content-Type", "application/json"), body);
    }

    @Test
    void faultyWorkspaceGetsEveryEventOnceInOrder() throws Exception {
        RunningService.Reply created = service.admin("POST", "/integrated-accounts", "{\"name\":\"Faulty\",\"region\":\"sandbox\","
                + "\"webhook_secrets\":{\"events\":\"" + EVENTS_SECRET + "\"},\"sandbox\":{\"people\":0,\"deliveries\":0}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String account = created.json().get("id").asText();
        SandboxWorkspace workspace = workspace(account);
        workspace.setFaults(FaultSettings.NONE.withServerErrors(0.3, 503).withRateLimitStorm(0.2, 1));
        int persons = 10;
        int perPerson = 12;

        for (int round = 0; round < perPerson; round++) {
            List<String> events = new ArrayList<>();
            for (int person = 0; person < persons; person++) {
                events.add("{\"id\":\"e-" + person + "-" + round + "\",\"name\":\"step\",\"person\":{\"id\":\"p" + person
                        + "\"},\"data\":{\"seq\":" + round + "}}");
            }
            RunningService.Reply reply = postEvents(account, "[" + String.join(",", events) + "]");
            assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (int person = 0; person < persons; person++) {
                if (workspace.events("p" + person).size() < perPerson) {
                    return false;
                }
            }
            return true;
        });
        workspace.setFaults(FaultSettings.NONE);
        for (int person = 0; person < persons; person++) {
            List<EventRecord> stored = workspace.events("p" + person);
            List<Integer> sequence = stored.stream().map(event -> event.data().get("seq").asInt()).toList();
            assertThat(sequence).as("events of p%d in order, each once", person)
                    .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        }
        JsonNode deadLetters = service.admin("GET", "/dead-letters?account_id=" + account, null).json().get("result");
        assertThat(deadLetters).isEmpty();
    }
}
