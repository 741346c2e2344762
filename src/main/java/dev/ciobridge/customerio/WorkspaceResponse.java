package dev.ciobridge.customerio;

/** A Customer.io response together with the state of the workspace's rate limit when the request started. */
public record WorkspaceResponse(CustomerIoResponse response, RateLimitStatus rateLimit) {
}
