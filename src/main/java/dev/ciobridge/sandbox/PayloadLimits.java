package dev.ciobridge.sandbox;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Track API's documented limits, all counted in UTF-8 bytes, and the checks that apply them. Each check adds
 * {@link Violation}s to a list, which the Track v1 and v2 handlers turn into their own error envelopes.
 */
final class PayloadLimits {

    static final int IDENTIFIER_BYTES = 150;
    static final int ATTRIBUTE_NAME_BYTES = 150;
    static final int ATTRIBUTE_VALUE_BYTES = 1000;
    static final int ATTRIBUTES = 300;
    static final int EVENT_NAME_BYTES = 100;
    static final int EVENT_DATA_BYTES = 100_000;
    /** A v2 entity, alone or inside a batch, must be under 32 KB. */
    static final int ENTITY_BYTES = 32 * 1024;
    /** A v2 batch request must be under 500 KB. */
    static final int BATCH_BYTES = 500 * 1024;
    static final int SEGMENT_IDS = 1000;

    /**
     * One broken limit or rule.
     *
     * @param field the JSON field at fault, such as {@code attributes.plan}
     * @param reason a short machine-readable reason, such as {@code too_long}
     * @param message a sentence for people
     */
    record Violation(String field, String reason, String message) {
    }

    private PayloadLimits() {
    }

    static void checkIdentifier(String value, String field, List<Violation> violations) {
        if (value == null || value.isEmpty()) {
            violations.add(new Violation(field, "required", field + " must not be empty"));
        } else if (SandboxJson.utf8Length(value) > IDENTIFIER_BYTES) {
            violations.add(new Violation(field, "too_long",
                    field + " is " + SandboxJson.utf8Length(value) + " bytes; the maximum is " + IDENTIFIER_BYTES));
        }
    }

    /**
     * Checks attribute count, names and values. {@code enclosingBytes} is the size of the JSON the attributes came
     * in: when it is within a limit, no single part can break that limit, which spares serialising small values.
     */
    static void checkAttributes(JsonNode attributes, String prefix, int enclosingBytes, List<Violation> violations) {
        if (attributes == null || attributes.isNull() || attributes.isMissingNode()) {
            return;
        }
        if (!attributes.isObject()) {
            violations.add(new Violation(prefix.isEmpty() ? "attributes" : prefix, "invalid", "attributes must be an object"));
            return;
        }
        if (attributes.size() > ATTRIBUTES) {
            violations.add(new Violation(prefix.isEmpty() ? "attributes" : prefix, "too_many",
                    attributes.size() + " attributes sent; the maximum per call is " + ATTRIBUTES));
        }
        String dot = prefix.isEmpty() ? "" : prefix + ".";
        for (Iterator<Map.Entry<String, JsonNode>> fields = attributes.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (SandboxJson.utf8Length(name) > ATTRIBUTE_NAME_BYTES) {
                violations.add(new Violation(dot + name, "too_long", "attribute name is " + SandboxJson.utf8Length(name)
                        + " bytes; the maximum is " + ATTRIBUTE_NAME_BYTES));
            }
            JsonNode value = field.getValue();
            boolean mayBeLong = value.isTextual() ? value.textValue().length() * 3 > ATTRIBUTE_VALUE_BYTES
                    : value.isContainerNode() && enclosingBytes > ATTRIBUTE_VALUE_BYTES;
            if (mayBeLong) {
                int bytes = SandboxJson.valueBytes(value);
                if (bytes > ATTRIBUTE_VALUE_BYTES) {
                    violations.add(new Violation(dot + name, "too_long", "attribute value is " + bytes
                            + " bytes; the maximum is " + ATTRIBUTE_VALUE_BYTES));
                }
            }
        }
    }

    /** Checks an event name and returns it trimmed, or null when it is missing. */
    static String checkEventName(JsonNode name, String field, List<Violation> violations) {
        String text = name == null || !name.isTextual() ? null : name.textValue().strip();
        if (text == null || text.isEmpty()) {
            violations.add(new Violation(field, "required", field + " is required"));
            return null;
        }
        int bytes = SandboxJson.utf8Length(text);
        if (bytes > EVENT_NAME_BYTES) {
            violations.add(new Violation(field, "too_long",
                    field + " is " + bytes + " bytes; the maximum is " + EVENT_NAME_BYTES));
        }
        return text;
    }

    static void checkEventData(JsonNode data, String field, int enclosingBytes, List<Violation> violations) {
        if (data == null || data.isNull() || data.isMissingNode()) {
            return;
        }
        if (!data.isObject()) {
            violations.add(new Violation(field, "invalid", field + " must be an object"));
            return;
        }
        if (enclosingBytes > EVENT_DATA_BYTES) {
            int bytes = SandboxJson.write(data).length;
            if (bytes > EVENT_DATA_BYTES) {
                violations.add(new Violation(field, "too_long",
                        field + " is " + bytes + " bytes; the maximum is " + EVENT_DATA_BYTES));
            }
        }
    }

    /** Checks an optional event {@code id}: Customer.io deduplicates on it and requires a ULID. Returns it or null. */
    static String checkEventId(JsonNode id, String field, List<Violation> violations) {
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isTextual() || !isUlid(id.textValue())) {
            violations.add(new Violation(field, "invalid", field + " must be a ULID (26 Crockford base32 characters)"));
            return null;
        }
        return id.textValue();
    }

    /** Reads an optional Unix-seconds timestamp. Returns null when absent and adds a violation when not an integer. */
    static Long checkTimestamp(JsonNode timestamp, String field, List<Violation> violations) {
        if (timestamp == null || timestamp.isNull()) {
            return null;
        }
        if (!timestamp.isIntegralNumber()) {
            violations.add(new Violation(field, "invalid", field + " must be an integer of Unix seconds"));
            return null;
        }
        return timestamp.longValue();
    }

    static boolean isUlid(String value) {
        if (value.length() != 26 || value.charAt(0) > '7') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = Character.toUpperCase(value.charAt(i));
            boolean digit = c >= '0' && c <= '9';
            boolean letter = c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U';
            if (!digit && !letter) {
                return false;
            }
        }
        return true;
    }
}
