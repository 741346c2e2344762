package dev.ciobridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event the simulator stored.
 *
 * @param name event name, trimmed as Customer.io trims it
 * @param type {@code event}, {@code page} or {@code screen}
 * @param id the ULID the sender supplied for deduplication, or null
 * @param timestamp Unix seconds given by the sender, or null when it sent none
 * @param data event data as sent, or an empty object
 * @param anonymousId anonymous id of an anonymous event, or null
 * @param surface the API that received it
 * @param receivedAt Unix milliseconds at which the simulator stored it
 */
public record EventRecord(String name, String type, String id, Long timestamp, JsonNode data, String anonymousId,
        Surface surface, long receivedAt) {
}
