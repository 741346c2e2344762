package dev.ciobridge.webhooks;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import dev.ciobridge.accounts.IntegratedAccount;
import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.Json;
import dev.ciobridge.customerio.Person;
import dev.ciobridge.customerio.Timestamps;
import dev.ciobridge.customerio.TrackEntity;
import dev.ciobridge.customerio.Ulid;
import dev.ciobridge.outbox.IntakeRequest;
import dev.ciobridge.outbox.SourceEvent;

/**
 * Verifies and reads the platform's own product events, signed per Standard Webhooks. The body is one event or an
 * array of up to {@value #MAX_EVENTS} events, each:
 * {@code {"id", "name", "person": {"id" | "email" | "cio_id"}, "timestamp"?, "data"?, "attributes"?}}.
 * {@code data} is passed through untouched as the event's data; {@code attributes}, when present, update the person
 * before the event. One invalid event rejects the whole request, so a request is stored entirely or not at all.
 */
public final class ProductEventsVerifier implements Processor {

    public static final String SOURCE = "events";
    static final int MAX_EVENTS = 1000;

    private static final Set<String> FIELDS = Set.of("id", "name", "person", "timestamp", "data", "attributes");

    private final WebhookContext context;

    public ProductEventsVerifier(WebhookContext context) {
        this.context = context;
    }

    @Override
    public void process(Exchange exchange) {
        IntegratedAccount account = context.account(exchange, SOURCE);
        byte[] raw = WebhookContext.rawBody(exchange);
        StandardWebhookSignature.verify(account.webhookSecret(SOURCE).orElseThrow(),
                exchange.getIn().getHeader("webhook-id", String.class),
                exchange.getIn().getHeader("webhook-timestamp", String.class),
                exchange.getIn().getHeader("webhook-signature", String.class),
                raw, System.currentTimeMillis() / 1000, context.tolerance());
        JsonNode body = Json.parseBody(raw);
        List<JsonNode> items = new ArrayList<>();
        boolean array = body.isArray();
        if (array) {
            body.forEach(items::add);
            if (items.isEmpty()) {
                throw ApiException.badRequest("The request body is an empty array; send at least one event");
            }
            if (items.size() > MAX_EVENTS) {
                throw new ApiException(413, "The request has " + items.size() + " events; send at most " + MAX_EVENTS + " per request");
            }
        } else {
            items.add(body);
        }
        long receivedAt = System.currentTimeMillis() / 1000;
        // A repeated id stays in the list: the writer stores its first occurrence and reports the others as duplicates.
        List<SourceEvent> events = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String where = array ? "events[" + i + "]" : "event";
            events.add(read(items.get(i), where, receivedAt));
        }
        exchange.setVariable(WebhookContext.INTAKE, new IntakeRequest(account.id(), SOURCE, events));
    }

    private static SourceEvent read(JsonNode item, String where, long receivedAt) {
        if (!item.isObject()) {
            throw ApiException.badRequest(where + " must be a JSON object");
        }
        Iterator<String> names = item.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest(where + " has an unknown field '" + name + "'; accepted fields are "
                        + FIELDS.stream().sorted().toList());
            }
        }
        String eventId = eventId(item.get("id"), where + ".id");
        JsonNode nameNode = item.get("name");
        if (nameNode == null || nameNode.isNull()) {
            throw ApiException.badRequest("Missing required field " + where + ".name");
        }
        if (!nameNode.isTextual() || nameNode.asText().isBlank()) {
            throw ApiException.badRequest(where + ".name must be a non-empty string");
        }
        Person person = person(item.get("person"), where + ".person");
        long timestamp = timestamp(item.get("timestamp"), where + ".timestamp", receivedAt);
        ObjectNode data = object(item.get("data"), where + ".data");
        ObjectNode attributes = object(item.get("attributes"), where + ".attributes");
        List<TrackEntity> operations = new ArrayList<>(2);
        try {
            if (!attributes.isEmpty()) {
                operations.add(TrackEntity.identify(person, timestamp, attributes, where + ".attributes"));
            }
            String ulid = Ulid.derived(timestamp * 1000, SOURCE + ":" + eventId + ":event");
            operations.add(TrackEntity.event(person, nameNode.asText(), ulid, timestamp, data, where + ".data"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(422, where + " cannot be sent to Customer.io: " + e.getMessage());
        }
        return new SourceEvent(eventId, operations);
    }

    private static String eventId(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("Missing required field " + field);
        }
        String id;
        if (node.isTextual()) {
            id = node.asText();
        } else if (node.isIntegralNumber()) {
            id = node.bigIntegerValue().toString();
        } else {
            throw ApiException.badRequest(field + " must be a string or an integer");
        }
        if (id.isBlank()) {
            throw ApiException.badRequest(field + " must not be empty");
        }
        if (id.length() > 255) {
            throw ApiException.badRequest(field + " is longer than 255 characters");
        }
        return id;
    }

    private static Person person(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("Missing required field " + field + " (an object with id, email or cio_id)");
        }
        if (!node.isObject()) {
            throw ApiException.badRequest(field + " must be an object with id, email or cio_id");
        }
        if (node.size() > 1) {
            throw ApiException.badRequest(field + " must have exactly one of id, email or cio_id, got " + fieldNames(node));
        }
        Iterator<String> names = node.fieldNames();
        if (names.hasNext()) {
            String name = names.next();
            if (!List.of(Person.ID, Person.CIO_ID, Person.EMAIL).contains(name)) {
                throw ApiException.badRequest(field + " has an unknown field '" + name + "'; use id, email or cio_id");
            }
        }
        for (String type : List.of(Person.ID, Person.CIO_ID, Person.EMAIL)) {
            JsonNode value = node.get(type);
            if (value != null && !value.isNull()) {
                try {
                    return Person.of(type, value, field + "." + type);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest(e.getMessage());
                }
            }
        }
        throw ApiException.badRequest(field + " has none of id, email or cio_id");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static long timestamp(JsonNode node, String field, long receivedAt) {
        if (node == null || node.isNull()) {
            return receivedAt;
        }
        try {
            return Timestamps.toUnixSeconds(node.isNumber() ? node.decimalValue() : node.isTextual() ? node.asText() : node);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field + " is invalid: " + e.getMessage());
        }
    }

    private static ObjectNode object(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Json.MAPPER.createObjectNode();
        }
        if (!node.isObject()) {
            throw ApiException.badRequest(field + " must be a JSON object");
        }
        return (ObjectNode) node;
    }
}
