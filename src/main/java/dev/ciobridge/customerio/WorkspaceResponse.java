package dev.ciobridge.customerio;

import org.apache.camel.Exchange;

import dev.ciobridge.api.HttpReplies;

/** A Customer.io response together with the state of the workspace's rate limit when the request started. */
public record WorkspaceResponse(CustomerIoResponse response, RateLimitStatus rateLimit) {

    /**
     * Makes the HTTP reply of the exchange carry {@code ratelimit-limit}, {@code ratelimit-remaining} and
     * {@code ratelimit-reset}, whichever reply (success or error) the route then writes.
     */
    public void applyHeaders(Exchange exchange) {
        exchange.setProperty(HttpReplies.RATE_LIMIT_PROPERTY, rateLimit);
    }
}
