package dev.ciobridge.customerio;

/**
 * The allowance of a workspace's limiter for one API surface, as sent in the {@code ratelimit-limit},
 * {@code ratelimit-remaining} and {@code ratelimit-reset} response headers.
 *
 * @param limit requests allowed per second
 * @param remaining requests that could still start within the next second without waiting behind others
 * @param resetSeconds seconds until every request already queued has started
 */
public record RateLimitStatus(int limit, int remaining, long resetSeconds) {
}
