package dev.ciobridge.unified;

import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ciobridge.accounts.IntegratedAccount;
import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.Json;
import dev.ciobridge.customerio.RateLimitStatus;

/**
 * One call of the unified API: the account it names, the resource path, the query and the body. It also passes on
 * the rate limit state of each Customer.io call made for it, which the reply carries as {@code ratelimit-*} headers.
 */
final class UnifiedRequest {

    final IntegratedAccount account;
    final String method;
    final String resource;
    /** The id path segment, decoded, or null on a collection. */
    final String id;
    /** The path segment after the id, such as {@code contacts} in {@code segments/7/contacts}, or null. */
    final String subresource;
    final QueryParameters query;
    private final byte[] body;
    private final Consumer<RateLimitStatus> rateLimitListener;

    UnifiedRequest(IntegratedAccount account, String method, String resource, String id, String subresource,
            QueryParameters query, byte[] body, Consumer<RateLimitStatus> rateLimitListener) {
        this.account = account;
        this.method = method;
        this.resource = resource;
        this.id = id;
        this.subresource = subresource;
        this.query = query;
        this.body = body;
        this.rateLimitListener = rateLimitListener;
    }

    /**
     * Parses the body as a JSON object, or responds with 400. A string or field name anywhere in the body that
     * contains U+0000 or an unpaired surrogate is rejected with 400 naming the field, because neither can be stored
     * as text at Customer.io or encoded as valid UTF-8.
     */
    JsonNode jsonObject() {
        JsonNode json = Json.parseBody(body);
        if (!json.isObject()) {
            throw ApiException.badRequest("Request body must be a JSON object");
        }
        rejectInvalidText(json, "");
        return json;
    }

    private static void rejectInvalidText(JsonNode node, String path) {
        if (node.isTextual()) {
            String problem = invalidText(node.asText());
            if (problem != null) {
                throw ApiException.badRequest("Invalid field '" + path + "': the value contains " + problem);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectInvalidText(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                String problem = invalidText(field.getKey());
                if (problem != null) {
                    throw ApiException.badRequest("Invalid field name '" + escapeInvalid(fieldPath) + "': the name contains "
                            + problem);
                }
                rejectInvalidText(field.getValue(), fieldPath);
            }
        }
    }

    /** Replaces NUL characters and surrogates by their escaped form, so that an error message can quote the text. */
    private static String escapeInvalid(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == 0 || Character.isSurrogate(c)) {
                escaped.append(String.format("\\u%04X", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** Returns what makes the text invalid (a NUL character or an unpaired surrogate), or null when it is valid. */
    private static String invalidText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "the NUL character U+0000";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("the unpaired surrogate U+%04X", (int) c);
            }
        }
        return null;
    }

    void recordRateLimit(RateLimitStatus status) {
        rateLimitListener.accept(status);
    }
}
