package dev.ciobridge.customerio;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The allowance of a workspace's limiter for one API surface, as sent in the {@code ratelimit-limit},
 * {@code ratelimit-remaining} and {@code ratelimit-reset} response headers.
 *
 * @param limit requests allowed per second
 * @param remaining requests that could still start within the next second without waiting behind others
 * @param resetSeconds seconds until every request already queued has started
 */
public record RateLimitStatus(int limit, int remaining, long resetSeconds) {

    /** Returns the three {@code ratelimit-*} response headers with their values, in a fixed order. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ratelimit-limit", Integer.toString(limit));
        headers.put("ratelimit-remaining", Integer.toString(remaining));
        headers.put("ratelimit-reset", Long.toString(resetSeconds));
        return headers;
    }
}
