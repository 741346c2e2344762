package dev.ciobridge.webhooks;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ciobridge.accounts.IntegratedAccount;
import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.Json;

/**
 * First step of the Stripe webhook route: checks {@code Stripe-Signature} on the raw bytes, then replaces the body
 * with the parsed event (a Jackson tree), which must have an {@code id}, a {@code type} and {@code data.object}.
 */
public final class StripeWebhookVerifier implements Processor {

    public static final String SOURCE = "stripe";

    private final WebhookContext context;

    public StripeWebhookVerifier(WebhookContext context) {
        this.context = context;
    }

    @Override
    public void process(Exchange exchange) {
        IntegratedAccount account = context.account(exchange, SOURCE);
        byte[] raw = WebhookContext.rawBody(exchange);
        StripeSignature.verify(account.webhookSecret(SOURCE).orElseThrow(),
                exchange.getIn().getHeader("Stripe-Signature", String.class), raw,
                System.currentTimeMillis() / 1000, context.tolerance());
        JsonNode event = Json.parseBody(raw);
        if (!event.isObject()) {
            throw ApiException.badRequest("A Stripe webhook body must be a JSON object (an event)");
        }
        requireText(event, "id");
        requireText(event, "type");
        if (!event.path("data").path("object").isObject()) {
            throw ApiException.badRequest("Missing required field 'data.object' in the Stripe event");
        }
        exchange.getIn().setBody(event);
    }

    private static void requireText(JsonNode event, String field) {
        JsonNode value = event.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiException.badRequest("Missing required field '" + field + "' in the Stripe event");
        }
    }
}
