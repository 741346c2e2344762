package dev.ciobridge.customerio;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ciobridge.api.Json;

/**
 * Reads a human-readable reason out of whichever error envelope Customer.io used: Track v1
 * {@code {"meta":{"errors":[...]}}} or {@code {"meta":{"error":"..."}}}, Track v2 {@code {"errors":[{reason, field,
 * message}]}}, or App API {@code {"errors":[{detail, status}]}}. Bodies that are not JSON are quoted, truncated.
 */
public final class CustomerIoErrors {

    private static final int MAX_REASON_CHARS = 1000;

    private CustomerIoErrors() {
    }

    public static String describe(int status, byte[] body) {
        String detail = detail(body);
        String prefix = "Customer.io answered " + status;
        return detail.isEmpty() ? prefix : truncate(prefix + ": " + detail);
    }

    static String detail(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            return truncate(new String(body, java.nio.charset.StandardCharsets.UTF_8).strip());
        }
        if (root == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        JsonNode meta = root.path("meta");
        meta.path("errors").forEach(error -> parts.add(error.asText()));
        if (meta.path("error").isTextual()) {
            parts.add(meta.path("error").asText());
        }
        root.path("errors").forEach(error -> parts.add(describeItem(error)));
        return parts.isEmpty() ? truncate(root.toString()) : String.join("; ", parts);
    }

    /** Describes one v2 or App API error item: field and message, or the App API's detail. */
    public static String describeItem(JsonNode error) {
        if (error.isTextual()) {
            return error.asText();
        }
        StringBuilder text = new StringBuilder();
        if (error.hasNonNull("field")) {
            text.append(error.get("field").asText()).append(": ");
        }
        if (error.hasNonNull("message")) {
            text.append(error.get("message").asText());
        } else if (error.hasNonNull("detail")) {
            text.append(error.get("detail").asText());
        } else if (error.hasNonNull("reason")) {
            text.append(error.get("reason").asText());
        } else {
            text.append(error);
        }
        if (error.hasNonNull("reason") && error.hasNonNull("message")) {
            text.append(" (").append(error.get("reason").asText()).append(')');
        }
        return text.toString();
    }

    private static String truncate(String text) {
        return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS) + "...";
    }
}
