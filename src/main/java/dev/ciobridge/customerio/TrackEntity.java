package dev.ciobridge.customerio;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ciobridge.api.Json;

/**
 * One Track API operation on a person, kept as the JSON of a Track v2 entity (the shape of one {@code /api/v2/batch}
 * item) so a batch is built by joining stored strings. Factories check Customer.io's documented limits in UTF-8 bytes
 * and throw {@link IllegalArgumentException} naming the field that breaks one.
 */
public record TrackEntity(Person person, String json, int bytes) {

    public static TrackEntity event(Person person, String name, String ulid, long timestamp, ObjectNode data, String dataField) {
        String trimmedName = name == null ? "" : name.trim();
        if (trimmedName.isEmpty()) {
            throw new IllegalArgumentException("the event name is empty");
        }
        int nameBytes = utf8Length(trimmedName);
        if (nameBytes > TrackLimits.EVENT_NAME_BYTES) {
            throw new IllegalArgumentException("the event name is " + nameBytes + " bytes in UTF-8; Customer.io allows at most "
                    + TrackLimits.EVENT_NAME_BYTES);
        }
        int dataBytes = Json.write(data).length;
        if (dataBytes > TrackLimits.EVENT_DATA_BYTES) {
            throw new IllegalArgumentException(dataField + " is " + dataBytes + " bytes as JSON; Customer.io allows at most "
                    + TrackLimits.EVENT_DATA_BYTES);
        }
        ObjectNode entity = base(person, "event");
        entity.put("id", ulid);
        entity.put("name", trimmedName);
        entity.put("timestamp", timestamp);
        entity.set("attributes", data);
        return finish(person, entity);
    }

    public static TrackEntity identify(Person person, long timestamp, ObjectNode attributes, String attributesField) {
        if (attributes.size() > TrackLimits.ATTRIBUTES_PER_CALL) {
            throw new IllegalArgumentException(attributesField + " has " + attributes.size()
                    + " attributes; Customer.io allows at most " + TrackLimits.ATTRIBUTES_PER_CALL + " per call");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = attributes.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            int nameBytes = utf8Length(field.getKey());
            if (nameBytes > TrackLimits.ATTRIBUTE_NAME_BYTES) {
                throw new IllegalArgumentException(attributesField + " has an attribute name of " + nameBytes
                        + " bytes; Customer.io allows at most " + TrackLimits.ATTRIBUTE_NAME_BYTES);
            }
            JsonNode value = field.getValue();
            int valueBytes = value.isTextual() ? utf8Length(value.asText()) : Json.write(value).length;
            if (valueBytes > TrackLimits.ATTRIBUTE_VALUE_BYTES) {
                throw new IllegalArgumentException(attributesField + "." + field.getKey() + " is " + valueBytes
                        + " bytes; Customer.io allows at most " + TrackLimits.ATTRIBUTE_VALUE_BYTES + " per value");
            }
        }
        ObjectNode entity = base(person, "identify");
        entity.put("timestamp", timestamp);
        entity.set("attributes", attributes);
        return finish(person, entity);
    }

    /** Returns whether this entity fits in a v2 batch or {@code /api/v2/entity}; larger ones can only go out alone through v1. */
    public boolean fitsV2() {
        return bytes <= TrackLimits.ENTITY_BYTES;
    }

    private static ObjectNode base(Person person, String action) {
        ObjectNode entity = Json.MAPPER.createObjectNode();
        entity.put("type", "person");
        entity.putObject("identifiers").put(person.type(), person.value());
        entity.put("action", action);
        return entity;
    }

    private static TrackEntity finish(Person person, ObjectNode entity) {
        String json = entity.toString();
        int bytes = utf8Length(json);
        if (bytes > TrackLimits.ENTITY_BYTES && person.v1PathIdentifier() == null) {
            throw new IllegalArgumentException("the operation is " + bytes + " bytes; Customer.io takes at most "
                    + TrackLimits.ENTITY_BYTES + " through /api/v2, and this identifier cannot be addressed through /api/v1");
        }
        return new TrackEntity(person, json, bytes);
    }

    public static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
