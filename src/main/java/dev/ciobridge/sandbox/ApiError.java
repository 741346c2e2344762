package dev.ciobridge.sandbox;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error response in the envelope of the surface that raised it. Handlers throw it to stop processing; it carries
 * no stack trace because it is control flow, not a fault of the simulator.
 */
final class ApiError extends RuntimeException {

    final int status;
    final ObjectNode body;
    /** Retry-After header value in seconds, or null to send none. */
    final Integer retryAfterSeconds;

    private ApiError(int status, ObjectNode body, Integer retryAfterSeconds) {
        super(null, null, false, false);
        this.status = status;
        this.body = body;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Track v1 and Pipelines envelope: {@code {"meta":{"errors":["..."]}}}. */
    static ApiError trackV1(int status, String... messages) {
        ObjectNode body = SandboxJson.object();
        ArrayNode errors = body.putObject("meta").putArray("errors");
        for (String message : messages) {
            errors.add(message);
        }
        return new ApiError(status, body, null);
    }

    /** Track v1 merge envelope: {@code {"meta":{"error":"..."}}}, also used by transactional sends. */
    static ApiError metaError(int status, String message) {
        ObjectNode body = SandboxJson.object();
        body.putObject("meta").put("error", message);
        return new ApiError(status, body, null);
    }

    /** Track v2 envelope for a whole rejected request: {@code {"errors":[{"reason","field","message"}]}}. */
    static ApiError trackV2(int status, List<PayloadLimits.Violation> violations) {
        ObjectNode body = SandboxJson.object();
        ArrayNode errors = body.putArray("errors");
        for (PayloadLimits.Violation violation : violations) {
            errors.addObject()
                    .put("reason", violation.reason())
                    .put("field", violation.field())
                    .put("message", violation.message());
        }
        return new ApiError(status, body, null);
    }

    static ApiError trackV2(int status, String reason, String field, String message) {
        return trackV2(status, List.of(new PayloadLimits.Violation(field, reason, message)));
    }

    /** App API envelope: {@code {"errors":[{"detail","status"}]}}, with the status as a string. */
    static ApiError app(int status, String detail) {
        ObjectNode body = SandboxJson.object();
        body.putArray("errors").addObject().put("detail", detail).put("status", String.valueOf(status));
        return new ApiError(status, body, null);
    }

    /** Builds the App API's 429 with {@code Retry-After: 1}, as Customer.io sends for its per-second limit. */
    static ApiError appRateLimited(int perSecond, String reference) {
        ObjectNode body = SandboxJson.object();
        body.putArray("errors").addObject()
                .put("detail", "rate limited to " + perSecond + " requests per 1s (reference " + reference + ")")
                .put("status", "429");
        return new ApiError(429, body, 1);
    }

    /** Returns a copy that carries a Retry-After header. */
    ApiError withRetryAfter(Integer seconds) {
        return new ApiError(status, body, seconds);
    }
}
