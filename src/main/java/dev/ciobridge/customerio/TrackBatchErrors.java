package dev.ciobridge.customerio;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ciobridge.api.Json;

/**
 * Reads the item errors of a Track API {@code /api/v2/batch} 207 response:
 * {@code {"errors":[{"batch_index":0,"reason":"...","field":"...","message":"..."}]}}, where {@code batch_index} is the
 * 0-based position of the rejected item in the request.
 */
public final class TrackBatchErrors {

    /** One rejected item; {@code field} and {@code message} are null when Customer.io left them out. */
    public record ItemError(int batchIndex, String field, String message, String description) {
    }

    /** The parsed error list, and the entries that named no item of the batch (kept for the log). */
    public record Parsed(List<ItemError> items, List<String> unreadable) {
    }

    private TrackBatchErrors() {
    }

    /**
     * Parses a 207 body for a batch of {@code batchSize} items.
     *
     * @throws IllegalArgumentException when the body is not JSON
     */
    public static Parsed parse(byte[] body, int batchSize) {
        JsonNode errors;
        try {
            errors = Json.MAPPER.readTree(body).path("errors");
        } catch (Exception e) {
            throw new IllegalArgumentException("a 207 response without a readable error list", e);
        }
        List<ItemError> items = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (JsonNode error : errors) {
            JsonNode index = error.path("batch_index");
            if (!index.canConvertToInt() || index.asInt() < 0 || index.asInt() >= batchSize) {
                unreadable.add(error.toString());
                continue;
            }
            items.add(new ItemError(index.asInt(), error.path("field").asText(null), error.path("message").asText(null),
                    CustomerIoErrors.describeItem(error)));
        }
        return new Parsed(items, unreadable);
    }
}
