package dev.ciobridge.unified;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Conversions shared by the mappers from Customer.io objects to unified ones. */
final class UnifiedFields {

    private UnifiedFields() {
    }

    /**
     * Converts Unix seconds, as a JSON number or a numeric string (the App API returns attributes as strings), to
     * ISO 8601 in UTC; returns null for a missing, zero or non-numeric value.
     */
    static String iso(JsonNode unixSeconds) {
        if (unixSeconds == null || unixSeconds.isNull() || unixSeconds.isMissingNode()) {
            return null;
        }
        long seconds;
        if (unixSeconds.isIntegralNumber()) {
            seconds = unixSeconds.asLong();
        } else if (unixSeconds.isTextual() && unixSeconds.asText().matches("\\d{1,12}")) {
            seconds = Long.parseLong(unixSeconds.asText());
        } else {
            return null;
        }
        return seconds <= 0 ? null : Instant.ofEpochSecond(seconds).toString();
    }

    static String iso(long unixSeconds) {
        return Instant.ofEpochSecond(unixSeconds).toString();
    }

    /** Returns the value as text (numbers in plain form), or null when it is missing, null or empty. */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode() || value.isContainerNode()) {
            return null;
        }
        String text = value.isBigDecimal() ? value.decimalValue().toPlainString() : value.asText();
        return text.isEmpty() ? null : text;
    }

    /** Starts a unified object with its id; callers add the remaining fields in order. */
    static Map<String, Object> object(String id) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("id", id);
        return object;
    }
}
