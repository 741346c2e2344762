package dev.ciobridge.unified;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Maps Customer.io people to unified contacts. A contact's {@code id} is the person's Customer.io {@code id}, or
 * {@code cio_<cio_id>} for a person who has only an email, so that every contact can be addressed by its id.
 */
final class ContactMapper {

    /** Attributes that have a unified field of their own and therefore stay out of {@code custom_fields}. */
    static final Set<String> MAPPED_ATTRIBUTES =
            Set.of("id", "email", "cio_id", "first_name", "last_name", "name", "phone", "created_at", "unsubscribed");

    private ContactMapper() {
    }

    static String contactId(JsonNode identifiers) {
        String id = UnifiedFields.text(identifiers.get("id"));
        if (id != null) {
            return id;
        }
        String cioId = UnifiedFields.text(identifiers.get("cio_id"));
        return cioId == null ? null : "cio_" + cioId;
    }

    /**
     * Maps an entry of a people list, which carries only the identifiers {@code id}, {@code email} and
     * {@code cio_id}: the other fields are null, and a get of the contact returns them.
     */
    static Map<String, Object> fromIdentifiers(JsonNode identifiers) {
        Map<String, Object> contact = UnifiedFields.object(contactId(identifiers));
        contact.put("first_name", null);
        contact.put("last_name", null);
        contact.put("name", null);
        contact.put("email", UnifiedFields.text(identifiers.get("email")));
        contact.put("phones", List.of());
        contact.put("status", null);
        contact.put("created_at", null);
        contact.put("updated_at", null);
        contact.put("custom_fields", Map.of());
        contact.put("remote_data", identifiers);
        return contact;
    }

    /** Maps the {@code customer} object of {@code GET /v1/customers/{id}/attributes}. */
    static Map<String, Object> fromCustomer(JsonNode customer) {
        JsonNode attributes = customer.path("attributes");
        JsonNode identifiers = customer.path("identifiers").isObject() ? customer.get("identifiers") : attributes;
        String firstName = UnifiedFields.text(attributes.get("first_name"));
        String lastName = UnifiedFields.text(attributes.get("last_name"));
        Map<String, Object> contact = UnifiedFields.object(contactId(identifiers));
        contact.put("first_name", firstName);
        contact.put("last_name", lastName);
        contact.put("name", name(UnifiedFields.text(attributes.get("name")), firstName, lastName));
        contact.put("email", UnifiedFields.text(identifiers.get("email")));
        contact.put("phones", phones(UnifiedFields.text(attributes.get("phone"))));
        contact.put("status", unsubscribed(customer, attributes) ? "unsubscribed" : "subscribed");
        String created = UnifiedFields.iso(attributes.get("created_at"));
        if (created == null) {
            created = UnifiedFields.iso(attributes.get("_created_in_customerio_at"));
        }
        contact.put("created_at", created);
        // NOTE: the App API returns no last-update time for a person, so updated_at is always null on reads.
        contact.put("updated_at", null);
        contact.put("custom_fields", customFields(attributes));
        contact.put("remote_data", customer);
        return contact;
    }

    static String name(String name, String firstName, String lastName) {
        if (name != null) {
            return name;
        }
        if (firstName == null && lastName == null) {
            return null;
        }
        return ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).trim();
    }

    static List<Map<String, Object>> phones(String phone) {
        List<Map<String, Object>> phones = new ArrayList<>();
        if (phone != null) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("phone", phone);
            // Customer.io keeps one phone attribute and no phone type.
            entry.put("type", null);
            phones.add(entry);
        }
        return phones;
    }

    private static boolean unsubscribed(JsonNode customer, JsonNode attributes) {
        JsonNode flag = customer.get("unsubscribed");
        if (flag != null && flag.isBoolean()) {
            return flag.asBoolean();
        }
        return "true".equals(UnifiedFields.text(attributes.get("unsubscribed")));
    }

    /** Returns the attributes without a unified field of their own, leaving out Customer.io's {@code _} system attributes. */
    private static Map<String, Object> customFields(JsonNode attributes) {
        Map<String, Object> custom = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = attributes.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!MAPPED_ATTRIBUTES.contains(field.getKey()) && !field.getKey().startsWith("_")) {
                custom.put(field.getKey(), field.getValue());
            }
        }
        return custom;
    }
}
