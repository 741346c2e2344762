package dev.ciobridge.unified;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.Json;
import dev.ciobridge.customerio.Person;
import dev.ciobridge.customerio.Timestamps;
import dev.ciobridge.customerio.TrackEntity;
import dev.ciobridge.customerio.TrackLimits;

/**
 * Checks the body of a contact create or update against Customer.io's Track API limits and turns it into the
 * attributes of an identify call. Fields set to null are left out, so they keep their value at Customer.io.
 */
final class ContactWrite {

    static final Set<String> FIELDS = Set.of("id", "email", "first_name", "last_name", "name", "phones", "status",
            "created_at", "custom_fields");

    private ContactWrite() {
    }

    /** Returns the identify attributes of a contact body; {@code id} and {@code email} are among them when given. */
    static ObjectNode attributes(JsonNode body) {
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest("Unknown field '" + name + "'; accepted fields are " + new TreeSet<>(FIELDS));
            }
        }

        ObjectNode attributes = Json.MAPPER.createObjectNode();
        if (present(body, "id")) {
            attributes.put("id", identifier(Person.ID, body.get("id"), "id").value());
        }
        if (present(body, "email")) {
            identifier(Person.EMAIL, body.get("email"), "email");
            attributes.put("email", body.get("email").asText().trim());
        }

        for (String field : new String[] {"first_name", "last_name", "name"}) {
            if (present(body, field)) {
                attributes.put(field, text(body.get(field), field));
            }
        }
        if (present(body, "phones")) {
            String phone = phone(body.get("phones"));
            if (phone != null) {
                attributes.put("phone", phone);
            }
        }
        if (present(body, "status")) {
            String status = body.get("status").asText("");
            if (!body.get("status").isTextual() || !(status.equals("subscribed") || status.equals("unsubscribed"))) {
                throw ApiException.badRequest("Field 'status' must be 'subscribed' or 'unsubscribed'");
            }
            attributes.put("unsubscribed", status.equals("unsubscribed"));
        }
        if (present(body, "created_at")) {
            attributes.put("created_at", timestamp(body.get("created_at"), "created_at"));
        }
        if (present(body, "custom_fields")) {
            addCustomFields(body.get("custom_fields"), attributes);
        }

        if (attributes.size() > TrackLimits.ATTRIBUTES_PER_CALL) {
            throw ApiException.badRequest("The contact sets " + attributes.size() + " attributes; Customer.io takes at most "
                    + TrackLimits.ATTRIBUTES_PER_CALL + " per call");
        }
        return attributes;
    }

    /** Reads a person identifier from a body field, with Customer.io's byte limit; 400 names the field. */
    static Person identifier(String type, JsonNode value, String field) {
        if (Person.EMAIL.equals(type) && !value.isTextual()) {
            throw ApiException.badRequest("Field '" + field + "' must be a string");
        }
        try {
            return Person.of(type, value, field);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid field '" + field + "': " + e.getMessage());
        }
    }

    static long timestamp(JsonNode value, String field) {
        try {
            Object raw = value.isNumber() ? value.numberValue() : value.isTextual() ? value.asText() : value.toString();
            return Timestamps.toUnixSeconds(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid field '" + field + "': " + e.getMessage());
        }
    }

    private static boolean present(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && !value.isNull();
    }

    private static String text(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw ApiException.badRequest("Field '" + field + "' must be a string");
        }
        checkValueBytes(value.asText(), field);
        return value.asText();
    }

    private static String phone(JsonNode phones) {
        if (!phones.isArray()) {
            throw ApiException.badRequest("Field 'phones' must be an array of {\"phone\", \"type\"} objects");
        }
        if (phones.size() > 1) {
            throw ApiException.badRequest("Field 'phones' has " + phones.size()
                    + " entries; Customer.io keeps one phone attribute per person, so send at most one");
        }
        if (phones.isEmpty()) {
            return null;
        }
        JsonNode entry = phones.get(0);
        if (!entry.isObject() || !entry.path("phone").isTextual() || entry.get("phone").asText().isBlank()) {
            throw ApiException.badRequest("Field 'phones[0].phone' must be a non-empty string");
        }
        return text(entry.get("phone"), "phones[0].phone");
    }

    private static void addCustomFields(JsonNode custom, ObjectNode attributes) {
        if (!custom.isObject()) {
            throw ApiException.badRequest("Field 'custom_fields' must be an object of attribute names to values");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = custom.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String path = "custom_fields." + name;
            if (ContactMapper.MAPPED_ATTRIBUTES.contains(name)) {
                throw ApiException.badRequest("Field '" + path + "' is a contact field of its own; set it outside custom_fields");
            }
            if (name.isEmpty() || name.startsWith("_") || name.startsWith("cio_") || name.equals("anonymous_id")) {
                throw ApiException.badRequest("Field '" + path + "' is not allowed: names that are empty or start with '_' "
                        + "or 'cio_', and anonymous_id, have a special meaning at Customer.io");
            }
            int nameBytes = TrackEntity.utf8Length(name);
            if (nameBytes > TrackLimits.ATTRIBUTE_NAME_BYTES) {
                throw ApiException.badRequest("Field '" + path + "' has a name of " + nameBytes
                        + " bytes in UTF-8; Customer.io allows at most " + TrackLimits.ATTRIBUTE_NAME_BYTES);
            }
            JsonNode value = field.getValue();
            checkValueBytes(value.isTextual() ? value.asText() : value.toString(), path);
            attributes.set(name, value);
        }
    }

    private static void checkValueBytes(String value, String field) {
        int bytes = TrackEntity.utf8Length(value);
        if (bytes > TrackLimits.ATTRIBUTE_VALUE_BYTES) {
            throw ApiException.badRequest("Field '" + field + "' is " + bytes + " bytes in UTF-8; Customer.io allows at most "
                    + TrackLimits.ATTRIBUTE_VALUE_BYTES + " per attribute value");
        }
    }
}
