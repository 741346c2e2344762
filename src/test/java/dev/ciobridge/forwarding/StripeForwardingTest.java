package dev.ciobridge.forwarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

import dev.ciobridge.api.Json;
import dev.ciobridge.testing.RunningService;
import dev.ciobridge.testing.StripeEvents;

/** Stripe webhooks through the real route file to the Track API stub. */
class StripeForwardingTest extends ForwardingTestSupport {

    @Test
    void invoiceSampleBecomesPersonEvent() throws Exception {
        Account account = newAccount();

        RunningService.Reply reply = postStripe(account, StripeEvents.sample("invoice.payment_failed"));

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(reply.json().get("status").asText()).isEqualTo("accepted");
        await().atMost(DELIVERY_WAIT).until(() -> eventsByName(operations(account)).containsKey("invoice_payment_failed"));
        JsonNode event = eventsByName(operations(account)).get("invoice_payment_failed").get(0);
        assertThat(event.get("identifiers").toString()).isEqualTo("{\"id\":\"u_8812\"}");
        assertThat(event.get("timestamp").asLong()).isEqualTo(1767225600L);
        assertThat(event.get("id").asText()).hasSize(26);
        JsonNode data = event.get("attributes");
        assertThat(data.get("amount_due").asLong()).isEqualTo(4900);
        assertThat(data.get("amount_due").isIntegralNumber()).isTrue();
        assertThat(data.get("currency").asText()).isEqualTo("usd");
        assertThat(data.get("invoice_id").asText()).isEqualTo("in_1FAKEbbbbbbbbbbbbbbbbB02");
        assertThat(data.get("subscription_id").asText()).isEqualTo("sub_FAKEdddddddD04");
        assertThat(data.get("stripe_customer_id").asText()).isEqualTo("cus_FAKEcccccccC03");
        List<LoggedRequest> requests = trackRequests(account);
        assertThat(requests).allSatisfy(request ->
                assertThat(request.getHeader("Authorization")).isEqualTo(account.authorization()));
        assertConformToTrackApi(requests);
    }

    @Test
    void subscriptionUpdateSetsAttributesThenEvent() throws Exception {
        Account account = newAccount();

        RunningService.Reply reply = postStripe(account, StripeEvents.sample("customer.subscription.updated"));

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        await().atMost(DELIVERY_WAIT).until(() -> operations(account).size() >= 2);
        List<JsonNode> operations = operations(account);
        assertThat(operations).hasSize(2);
        JsonNode identify = operations.get(0);
        assertThat(identify.get("action").asText()).isEqualTo("identify");
        assertThat(identify.get("attributes").get("subscription_status").asText()).isEqualTo("past_due");
        assertThat(identify.get("attributes").get("previous_subscription_status").asText()).isEqualTo("active");
        JsonNode event = operations.get(1);
        assertThat(event.get("name").asText()).isEqualTo("customer_subscription_updated");
        assertThat(event.get("attributes").get("amount").asLong()).isEqualTo(4900);
        assertThat(event.get("attributes").get("currency").asText()).isEqualTo("usd");
        assertThat(event.get("attributes").get("previous_status").asText()).isEqualTo("active");
        assertConformToTrackApi(trackRequests(account));
    }

    @Test
    void legacyInvoiceLayoutFindsAppUserId() throws Exception {
        Account account = newAccount();
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(StripeEvents.sample("invoice.payment_failed"));
        event.put("id", "evt_legacy_layout_1");
        event.put("api_version", "2024-06-20");
        ObjectNode invoice = (ObjectNode) event.get("data").get("object");
        invoice.remove("parent");
        invoice.put("subscription", "sub_LEGACY");
        invoice.putObject("subscription_details").putObject("metadata").put("app_user_id", "u_legacy");

        RunningService.Reply reply = postStripe(account, Json.write(event));

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        await().atMost(DELIVERY_WAIT).until(() -> !operations(account).isEmpty());
        JsonNode sent = operations(account).get(0);
        assertThat(sent.get("identifiers").get("id").asText()).isEqualTo("u_legacy");
        assertThat(sent.get("attributes").get("subscription_id").asText()).isEqualTo("sub_LEGACY");
    }

    @Test
    void emailFallbackIsLowerCased() throws Exception {
        Account account = newAccount();
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(StripeEvents.sample("invoice.payment_failed"));
        event.put("id", "evt_email_only_1");
        ((ObjectNode) event.get("data").get("object")).remove("parent");

        RunningService.Reply reply = postStripe(account, Json.write(event));

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        await().atMost(DELIVERY_WAIT).until(() -> !operations(account).isEmpty());
        assertThat(operations(account).get(0).get("identifiers").toString())
                .isEqualTo("{\"email\":\"jane.doe+billing@example.com\"}");
        assertThat(trackRequests(account).get(0).getUrl()).isEqualTo("/api/v1/customers/jane.doe%2Bbilling%40example.com/events");
    }

    @Test
    void eventWithoutPersonIsIgnored() throws Exception {
        Account account = newAccount();
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(StripeEvents.sample("invoice.payment_failed"));
        event.put("id", "evt_nobody_1");
        ObjectNode invoice = (ObjectNode) event.get("data").get("object");
        invoice.remove("parent");
        invoice.remove("customer_email");

        RunningService.Reply reply = postStripe(account, Json.write(event));

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(reply.json().get("status").asText()).isEqualTo("ignored");
        assertThat(reply.json().get("reason").asText()).contains("person");
    }

    @Test
    void checkoutSessionUsesCustomerDetailsEmail() throws Exception {
        Account account = newAccount();
        String event = "{\"id\":\"evt_checkout_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\","
                + "\"created\":1767225600,\"data\":{\"object\":{\"id\":\"cs_1\",\"object\":\"checkout.session\","
                + "\"amount_total\":12900,\"currency\":\"eur\",\"mode\":\"subscription\",\"payment_status\":\"paid\","
                + "\"customer_details\":{\"email\":\"Buyer@Example.org\"},\"metadata\":{}}}}";

        RunningService.Reply reply = postStripe(account, event.getBytes(StandardCharsets.UTF_8));

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        await().atMost(DELIVERY_WAIT).until(() -> !operations(account).isEmpty());
        JsonNode sent = operations(account).get(0);
        assertThat(sent.get("name").asText()).isEqualTo("checkout_session_completed");
        assertThat(sent.get("identifiers").get("email").asText()).isEqualTo("buyer@example.org");
        assertThat(sent.get("attributes").get("amount_total").asLong()).isEqualTo(12900);
        assertThat(sent.get("attributes").get("currency").asText()).isEqualTo("eur");
    }

    @Test
    void repeatedEventIsDeliveredOnce() throws Exception {
        Account account = newAccount();
        byte[] body = StripeEvents.sample("invoice.payment_failed");

        RunningService.Reply first = postStripe(account, body);
        RunningService.Reply second = postStripe(account, body);

        assertThat(first.json().get("status").asText()).isEqualTo("accepted");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("status").asText()).isEqualTo("duplicate");
        await().atMost(DELIVERY_WAIT).until(() -> !operations(account).isEmpty());
        // A second delivery, if any, would follow within the dispatcher's next passes.
        Thread.sleep(500);
        assertThat(eventsByName(operations(account)).get("invoice_payment_failed")).hasSize(1);
    }

    @Test
    void badSignatureIsRejectedAndNothingStored() throws Exception {
        Account account = newAccount();
        byte[] body = StripeEvents.sample("invoice.payment_failed");

        RunningService.Reply wrongSecret = service.request("POST", "/webhooks/stripe/" + account.id(),
                Map.of("Stripe-Signature", StripeEvents.signature("whsec_other", body)), body);
        RunningService.Reply stale = service.request("POST", "/webhooks/stripe/" + account.id(),
                Map.of("Stripe-Signature", StripeEvents.signature(STRIPE_SECRET, body, System.currentTimeMillis() / 1000 - 301)), body);
        RunningService.Reply missing = service.request("POST", "/webhooks/stripe/" + account.id(), Map.of(), body);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("4900", "1").getBytes(StandardCharsets.UTF_8);
        RunningService.Reply tamperedBody = service.request("POST", "/webhooks/stripe/" + account.id(),
                Map.of("Stripe-Signature", StripeEvents.signature(STRIPE_SECRET, body)), tampered);

        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.json().get("message").asText()).contains("does not match");
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.json().get("message").asText()).contains("tolerance");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("message").asText()).contains("Missing Stripe-Signature");
        assertThat(tamperedBody.status()).isEqualTo(401);
        RunningService.Reply afterwards = postStripe(account, body);
        assertThat(afterwards.json().get("status").asText()).as("the rejected copies were not stored").isEqualTo("accepted");
    }

    @Test
    void malformedOrIncompleteEventsAreRejected() throws Exception {
        Account account = newAccount();

        RunningService.Reply malformed = postStripe(account, "{\"id\": \"evt_1\", ".getBytes(StandardCharsets.UTF_8));
        RunningService.Reply noType = postStripe(account, "{\"id\":\"evt_2\",\"data\":{\"object\":{}}}".getBytes(StandardCharsets.UTF_8));
        RunningService.Reply noObject = postStripe(account, "{\"id\":\"evt_3\",\"type\":\"invoice.paid\"}".getBytes(StandardCharsets.UTF_8));
        RunningService.Reply unknownAccount = service.request("POST", "/webhooks/stripe/acc_missing",
                Map.of("Stripe-Signature", "t=1,v1=00"), new byte[] {'{', '}'});

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("message").asText()).contains("Malformed JSON");
        assertThat(noType.status()).isEqualTo(400);
        assertThat(noType.json().get("message").asText()).contains("'type'");
        assertThat(noObject.status()).isEqualTo(400);
        assertThat(noObject.json().get("message").asText()).contains("data.object");
        assertThat(unknownAccount.status()).isEqualTo(404);
        assertThat(unknownAccount.json().get("error").asText()).isEqualTo("Not Found");
    }
}
