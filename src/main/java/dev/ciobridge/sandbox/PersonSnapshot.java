package dev.ciobridge.sandbox;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A copy of a person's state at the moment it was read; later requests do not change it.
 *
 * @param cioId Customer.io's own id, without the {@code cio_} prefix
 * @param id the person's id, or null
 * @param email the person's email as last set (compared without case), or null
 * @param attributes every attribute, excluding the identifiers
 * @param devices registered devices
 * @param events stored events, oldest first
 * @param createdAt Unix seconds at which the person was created
 */
public record PersonSnapshot(String cioId, String id, String email, Map<String, JsonNode> attributes,
        List<DeviceRecord> devices, List<EventRecord> events, long createdAt) {

    /** Returns an attribute as text, or null when it is not set. */
    public String attribute(String name) {
        JsonNode value = attributes.get(name);
        return value == null ? null : SandboxJson.asAttributeString(value);
    }

    /** Returns true when the person is globally unsubscribed. */
    public boolean unsubscribed() {
        JsonNode value = attributes.get("unsubscribed");
        return value != null && (value.asBoolean(false) || "true".equals(value.asText()));
    }
}
