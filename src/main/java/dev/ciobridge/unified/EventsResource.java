package dev.ciobridge.unified;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.Json;
import dev.ciobridge.customerio.ApiSurface;
import dev.ciobridge.customerio.PathSegments;
import dev.ciobridge.customerio.Person;
import dev.ciobridge.customerio.TrackEntity;
import dev.ciobridge.customerio.TrackLimits;
import dev.ciobridge.customerio.Ulid;

/**
 * Events, create only: a person's event ({@code contact} set) goes to {@code POST /api/v1/customers/{id}/events}, an
 * anonymous one ({@code anonymous_id} set) to {@code POST /api/v1/events}. Each carries a ULID {@code id}, the
 * client's or a new one, which Customer.io uses to drop repeats.
 */
final class EventsResource extends ResourceHandler {

    private static final Set<String> FIELDS = Set.of("id", "name", "contact", "anonymous_id", "data", "timestamp");
    private static final String ULID_PATTERN = "[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}";

    EventsResource(CustomerIoCalls calls) {
        super(calls, "events", Set.of("POST"), Set.of());
    }

    @Override
    Object create(UnifiedRequest request) {
        JsonNode body = request.jsonObject();
        SegmentsResource.rejectUnknown(body, FIELDS);
        JsonNode nameNode = body.get("name");
        if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isBlank()) {
            throw ApiException.badRequest("Missing field 'name': an event needs a non-empty name");
        }
        String name = nameNode.asText().trim();
        int nameBytes = TrackEntity.utf8Length(name);
        if (nameBytes > TrackLimits.EVENT_NAME_BYTES) {
            throw ApiException.badRequest("Field 'name' is " + nameBytes + " bytes in UTF-8; Customer.io allows at most "
                    + TrackLimits.EVENT_NAME_BYTES);
        }

        String id = ulid(body.get("id"));
        ObjectNode data = data(body.get("data"));
        long timestamp = body.has("timestamp") && !body.get("timestamp").isNull()
                ? ContactWrite.timestamp(body.get("timestamp"), "timestamp")
                : System.currentTimeMillis() / 1000;
        boolean hasContact = body.has("contact") && !body.get("contact").isNull();
        boolean hasAnonymous = body.has("anonymous_id") && !body.get("anonymous_id").isNull();
        if (hasContact == hasAnonymous) {
            throw ApiException.badRequest("Send exactly one of 'contact' (a person's event) and 'anonymous_id' (an anonymous event)");
        }

        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("name", name);
        event.put("id", id);
        event.put("timestamp", timestamp);
        event.set("data", data);
        String contactId = null;
        String anonymousId = null;
        if (hasContact) {
            Person person = person(body.get("contact"));
            contactId = person.type().equals(Person.CIO_ID) ? "cio_" + person.value() : person.value();
            String v1 = person.v1PathIdentifier();
            if (v1 != null) {
                calls.send(request, ApiSurface.TRACK, "POST", "/api/v1/customers/" + PathSegments.encode(v1) + "/events", event);
            } else {
                TrackEntity entity = TrackEntity.event(person, name, id, timestamp, data, "data");
                calls.send(request, ApiSurface.TRACK, "POST", "/api/v2/entity", Json.MAPPER.valueToTree(parse(entity.json())));
            }
        } else {
            JsonNode anonymous = body.get("anonymous_id");
            if (!anonymous.isTextual() || anonymous.asText().isBlank()) {
                throw ApiException.badRequest("Field 'anonymous_id' must be a non-empty string");
            }
            anonymousId = anonymous.asText();
            int bytes = TrackEntity.utf8Length(anonymousId);
            if (bytes > TrackLimits.IDENTIFIER_BYTES) {
                throw ApiException.badRequest("Field 'anonymous_id' is " + bytes + " bytes in UTF-8; Customer.io allows at most "
                        + TrackLimits.IDENTIFIER_BYTES);
            }
            event.put("anonymous_id", anonymousId);
            calls.send(request, ApiSurface.TRACK, "POST", "/api/v1/events", event);
        }

        Map<String, Object> unified = UnifiedFields.object(id);
        unified.put("name", name);
        unified.put("contact_id", contactId);
        unified.put("anonymous_id", anonymousId);
        unified.put("timestamp", UnifiedFields.iso(timestamp));
        unified.put("data", data);
        unified.put("remote_data", event);
        return unified;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("A Track entity built here is not JSON", e);
        }
    }

    private static String ulid(JsonNode id) {
        if (id == null || id.isNull()) {
            return Ulid.random();
        }
        if (!id.isTextual() || !id.asText().matches(ULID_PATTERN)) {
            throw ApiException.badRequest("Field 'id' must be a ULID (26 characters of Crockford base32), which Customer.io "
                    + "uses to drop repeated events; leave it out to get a new one");
        }
        return id.asText().toUpperCase(java.util.Locale.ROOT);
    }

    private static ObjectNode data(JsonNode data) {
        if (data == null || data.isNull()) {
            return Json.MAPPER.createObjectNode();
        }
        if (!data.isObject()) {
            throw ApiException.badRequest("Field 'data' must be an object");
        }
        int bytes = Json.write(data).length;
        if (bytes > TrackLimits.EVENT_DATA_BYTES) {
            throw ApiException.badRequest("Field 'data' is " + bytes + " bytes as JSON; Customer.io allows at most "
                    + TrackLimits.EVENT_DATA_BYTES);
        }
        return (ObjectNode) data;
    }

    private static Person person(JsonNode contact) {
        if (!contact.isObject() || contact.size() != 1) {
            throw ApiException.badRequest("Field 'contact' must be an object with exactly one of id, email or cio_id");
        }
        Map.Entry<String, JsonNode> entry = contact.fields().next();
        if (!Set.of(Person.ID, Person.EMAIL, Person.CIO_ID).contains(entry.getKey())) {
            throw ApiException.badRequest("Field 'contact' must have exactly one of id, email or cio_id, got '"
                    + entry.getKey() + "'");
        }
        return ContactWrite.identifier(entry.getKey(), entry.getValue(), "contact." + entry.getKey());
    }
}
