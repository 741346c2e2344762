package dev.ciobridge.unified;

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

    /** Parses the body as a JSON object, or responds with 400. */
    JsonNode jsonObject() {
        JsonNode json = Json.parseBody(body);
        if (!json.isObject()) {
            throw ApiException.badRequest("Request body must be a JSON object");
        }
        return json;
    }

    void recordRateLimit(RateLimitStatus status) {
        rateLimitListener.accept(status);
    }
}
