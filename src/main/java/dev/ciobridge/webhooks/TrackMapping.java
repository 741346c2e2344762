package dev.ciobridge.webhooks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * Turns the exchange variables a webhook route file sets into the Track API operations of one source event:
 * <ul>
 * <li>{@code event.id} (required): the source's event id, which deduplicates and seeds the event's ULID;</li>
 * <li>{@code event.name} (required) and {@code event.timestamp} (Unix seconds or milliseconds, or ISO-8601; the
 * receive time when absent);</li>
 * <li>{@code person.id}, {@code person.email}, {@code person.cio_id}: the first one set identifies the person;</li>
 * <li>{@code data.<key>}: event data; {@code attributes.<key>}: person attributes, sent as an identify before the
 * event. Null values are left out.</li>
 * <li>{@code skip}: when set, the event is acknowledged without being forwarded, and its value is the reason.</li>
 * </ul>
 * Values may be Jackson nodes (from {@code jsonfield}) or plain Java values (from {@code simple} or {@code constant}).
 */
public final class TrackMapping implements Processor {

    /** Exchange variable set when the event is not forwarded, holding the reason. */
    public static final String SKIP = "skip";

    @Override
    public void process(Exchange exchange) {
        Map<String, Object> variables = exchange.getVariables();
        IntegratedAccount account = exchange.getVariable(WebhookContext.ACCOUNT, IntegratedAccount.class);
        String source = exchange.getVariable(WebhookContext.SOURCE, String.class);
        if (account == null || source == null) {
            throw new IllegalStateException("The route must verify the webhook (which sets the account and source) before mapping it");
        }
        if (present(variables.get(SKIP))) {
            return;
        }
        String eventId = text(variables.get("event.id"), "event.id");
        String name = text(variables.get("event.name"), "event.name");
        Object timestampValue = variables.get("event.timestamp");
        long timestamp;
        try {
            timestamp = present(timestampValue) ? Timestamps.toUnixSeconds(plain(timestampValue))
                    : System.currentTimeMillis() / 1000;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("event timestamp is invalid: " + e.getMessage());
        }
        Person person = person(variables);
        if (person == null) {
            exchange.setVariable(SKIP, "no person identifier (person.id, person.email or person.cio_id) in the event");
            return;
        }
        ObjectNode data = collect(variables, "data.");
        ObjectNode attributes = collect(variables, "attributes.");
        List<TrackEntity> operations = new ArrayList<>(2);
        try {
            if (!attributes.isEmpty()) {
                operations.add(TrackEntity.identify(person, timestamp, attributes, "attributes"));
            }
            String ulid = Ulid.derived(timestamp * 1000, source + ":" + eventId + ":event");
            operations.add(TrackEntity.event(person, name, ulid, timestamp, data, "data"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(422, "Event " + eventId + " cannot be sent to Customer.io: " + e.getMessage());
        }
        exchange.setVariable(WebhookContext.INTAKE,
                new IntakeRequest(account.id(), source, List.of(new SourceEvent(eventId, operations))));
    }

    private static Person person(Map<String, Object> variables) {
        for (String type : List.of(Person.ID, Person.EMAIL, Person.CIO_ID)) {
            Object value = variables.get("person." + type);
            if (present(value)) {
                try {
                    return value instanceof JsonNode node ? Person.of(type, node, "person." + type)
                            : Person.of(type, plainText(value), "person." + type);
                } catch (IllegalArgumentException e) {
                    throw new ApiException(422, "The event's person cannot be used: " + e.getMessage());
                }
            }
        }
        return null;
    }

    /** Gathers the variables under a prefix into a JSON object, keys sorted so the stored operation is stable. */
    private static ObjectNode collect(Map<String, Object> variables, String prefix) {
        Map<String, Object> sorted = new TreeMap<>();
        variables.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length() && present(value)) {
                sorted.put(key.substring(prefix.length()), value);
            }
        });
        ObjectNode object = Json.MAPPER.createObjectNode();
        sorted.forEach((key, value) -> object.set(key, value instanceof JsonNode node ? node : Json.MAPPER.valueToTree(value)));
        return object;
    }

    private static boolean present(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof JsonNode node) {
            return !node.isNull() && !node.isMissingNode() && !(node.isTextual() && node.asText().isEmpty());
        }
        return !(value instanceof String text && text.isEmpty());
    }

    private static String text(Object value, String variable) {
        if (!present(value)) {
            throw ApiException.badRequest("Missing required field: the route maps nothing to " + variable);
        }
        return plainText(value);
    }

    private static String plainText(Object value) {
        if (value instanceof JsonNode node) {
            if (node.isNumber()) {
                return node.decimalValue().stripTrailingZeros().toPlainString();
            }
            return node.isValueNode() ? node.asText() : node.toString();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    private static Object plain(Object value) {
        if (value instanceof JsonNode node) {
            return node.isNumber() ? node.decimalValue() : node.asText();
        }
        return value;
    }
}
