package dev.ciobridge.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.ciobridge.testing.RunningService;
import dev.ciobridge.testing.StripeEvents;

/** Sandbox accounts: created without credentials, backed by the embedded simulator, kept across a restart. */
class SandboxAccountTest {

    private static final String SECRET = "whsec_sandbox_test_secret";
    /** No stub of Customer.io is needed: sandbox accounts never leave the process. */
    private static final String NO_CUSTOMER_IO = "http://127.0.0.1:9";

    private static String createSandbox(RunningService service) throws Exception {
        RunningService.Reply created = service.admin("POST", "/integrated-accounts",
                "{\"name\":\"Demo\",\"region\":\"sandbox\",\"webhook_secrets\":{\"stripe\":\"" + SECRET + "\"},"
                        + "\"sandbox\":{\"people\":50,\"deliveries\":200,\"seed\":7}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static RunningService.Reply sendStripe(RunningService service, String account, String sample) throws Exception {
        byte[] body = StripeEvents.sample(sample);
        return service.request("POST", "/webhooks/stripe/" + account,
                Map.of("Stripe-Signature", StripeEvents.signature(SECRET, body), "Content-Type", "application/json"), body);
    }

    private static RunningService.Reply person(RunningService service, String account, String identifier) throws Exception {
        return service.admin("GET", "/integrated-accounts/" + account + "/sandbox/people/" + identifier, null);
    }

    @Test
    void sandboxAccountReceivesStripeSample() throws Exception {
        try (RunningService service = RunningService.start(NO_CUSTOMER_IO, Map.of())) {
            String account = createSandbox(service);
            JsonNode view = service.admin("GET", "/integrated-accounts/" + account, null).json();
            assertThat(view.get("sandbox").asBoolean()).isTrue();
            assertThat(view.get("region").asText()).isEqualTo("sandbox");
            assertThat(view.get("sandbox_data").get("people").asInt()).isEqualTo(50);

            assertThat(sendStripe(service, account, "customer.subscription.updated").status()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(20)).until(() -> person(service, account, "u_8812").status() == 200
                    && person(service, account, "u_8812").json().get("events").size() == 1);
            JsonNode person = person(service, account, "u_8812").json();
            assertThat(person.get("sandbox").asBoolean()).isTrue();
            assertThat(person.get("attributes").get("subscription_status").asText()).isEqualTo("past_due");
            JsonNode event = person.get("events").get(0);
            assertThat(event.get("name").asText()).isEqualTo("customer_subscription_updated");
            assertThat(event.get("data").get("amount").asLong()).isEqualTo(4900);
            assertThat(person(service, account, "nobody-here").status()).isEqualTo(404);
        }
    }

    @Test
    void sandboxFaultsLeadToDeadLetterAndReplay() throws Exception {
        try (RunningService service = RunningService.start(NO_CUSTOMER_IO, Map.of())) {
            String account = createSandbox(service);
            RunningService.Reply faults = service.admin("PUT", "/integrated-accounts/" + account + "/sandbox/faults",
                    "{\"server_error_rate\": 1.0, \"server_error_status\": 503}");
            assertThat(faults.status()).as(faults.text()).isEqualTo(200);
            assertThat(faults.json().get("server_error_rate").asDouble()).isEqualTo(1.0);
            assertThat(service.admin("PUT", "/integrated-accounts/" + account + "/sandbox/faults", "{\"surfaces\": [\"mail\"]}")
                    .status()).isEqualTo(400);

            sendStripe(service, account, "invoice.payment_failed");

            await().atMost(Duration.ofSeconds(20)).until(() ->
                    service.admin("GET", "/dead-letters?account_id=" + account, null).json().get("result").size() == 1);
            JsonNode letter = service.admin("GET", "/dead-letters?account_id=" + account, null).json().get("result").get(0);
            assertThat(letter.get("status_code").asInt()).isEqualTo(503);
            assertThat(service.admin("PUT", "/integrated-accounts/" + account + "/sandbox/faults", "{}").status()).isEqualTo(200);

            service.admin("POST", "/dead-letters/" + letter.get("id").asText() + "/replay", null);

            await().atMost(Duration.ofSeconds(20)).until(() -> person(service, account, "u_8812").status() == 200);
            assertThat(person(service, account, "u_8812").json().get("events").get(0).get("name").asText())
                    .isEqualTo("invoice_payment_failed");
        }
    }

    @Test
    void sandboxRejectsCredentialsAndBadOptions() throws Exception {
        try (RunningService service = RunningService.start(NO_CUSTOMER_IO, Map.of())) {
            Map<String, String> cases = Map.of(
                    "{\"name\":\"a\",\"region\":\"sandbox\",\"site_id\":\"s\"}", "site_id",
                    "{\"name\":\"a\",\"region\":\"sandbox\",\"sandbox\":{\"people\":100001}}", "sandbox.people",
                    "{\"name\":\"a\",\"region\":\"sandbox\",\"sandbox\":{\"size\":1}}", "sandbox.size",
                    "{\"name\":\"a\",\"region\":\"sandbox\",\"sandbox\":[1]}", "'sandbox' must be an object",
                    "{\"name\":\"a\",\"region\":\"us\",\"site_id\":\"s\",\"track_api_key\":\"k\",\"sandbox\":{}}", "only to accounts");
            for (Map.Entry<String, String> entry : cases.entrySet()) {
                RunningService.Reply reply = service.admin("POST", "/integrated-accounts", entry.getKey());

                assertThat(reply.status()).as(entry.getKey()).isEqualTo(400);
                assertThat(reply.json().get("message").asText()).as(entry.getKey()).contains(entry.getValue());
            }
        }
    }

    @Test
    void sandboxCreationWorksAfterRestartAndDelete() throws Exception {
        Path dataDir = Files.createTempDirectory("cio-bridge-sandbox-ids");
        try (RunningService first = RunningService.start(NO_CUSTOMER_IO, dataDir, Map.of())) {
            String deleted = createSandbox(first);
            createSandbox(first);
            assertThat(first.admin("DELETE", "/integrated-accounts/" + deleted, null).status()).isEqualTo(200);
        }

        try (RunningService second = RunningService.start(NO_CUSTOMER_IO, dataDir, Map.of())) {
            for (int i = 0; i < 3; i++) {
                createSandbox(second);
            }
            assertThat(second.admin("GET", "/integrated-accounts", null).json().get("result")).hasSize(4);
        }
    }

    @Test
    void pendingSandboxEventsSurviveRestart() throws Exception {
        Path dataDir = Files.createTempDirectory("cio-bridge-sandbox-restart");
        String account;
        // Delivery off in the first life, so the event is still in the outbox when the service stops.
        try (RunningService first = RunningService.start(NO_CUSTOMER_IO, dataDir, Map.of("cio-bridge.delivery.enabled", "false"))) {
            account = createSandbox(first);
            assertThat(sendStripe(first, account, "invoice.payment_failed").json().get("status").asText()).isEqualTo("accepted");
        }

        try (RunningService second = RunningService.start(NO_CUSTOMER_IO, dataDir, Map.of())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> person(second, account, "u_8812").status() == 200);
            JsonNode person = person(second, account, "u_8812").json();
            assertThat(person.get("events").get(0).get("name").asText()).isEqualTo("invoice_payment_failed");
            assertThat(second.admin("GET", "/dead-letters?account_id=" + account, null).json().get("result")).isEmpty();
        }
    }
}
