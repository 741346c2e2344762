package dev.ciobridge.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.ciobridge.customerio.CustomerIoResponse;
import dev.ciobridge.customerio.RetryAfter;

/**
 * A request that cannot be served, with the HTTP status and a message that names the field or value at fault. The
 * error route configuration turns it into the JSON body {@code {"statusCode", "error", "message"}}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final transient Object details;
    private final transient Map<String, String> headers = new LinkedHashMap<>();
    private final transient Map<String, Object> fields = new LinkedHashMap<>();

    public ApiException(int status, String message) {
        this(status, message, null);
    }

    public ApiException(int status, String message, Object details) {
        super(message, null, false, false);
        this.status = status;
        this.details = details;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    /**
     * Builds the error for a failure that came from Customer.io: the error body adds {@code remote_error: true}, {@code remote_status} and
     * {@code remote_body} (Customer.io's body as it came, parsed when it is JSON, whatever its envelope). A 429 that
     * is left after cio-bridge's own retries becomes a 503 with {@code Retry-After}, since the caller did nothing to
     * cause it. A 401 becomes a 502 too: the caller's own token was accepted, it is the account's stored key that
     * Customer.io refused. Other 4xx statuses are kept, and 5xx become a 502.
     */
    public static ApiException remote(CustomerIoResponse response, String message) {
        int remoteStatus = response.status();
        int status;
        if (remoteStatus == 429) {
            status = 503;
        } else if (remoteStatus == 401) {
            status = 502;
        } else if (remoteStatus >= 400 && remoteStatus < 500) {
            status = remoteStatus;
        } else {
            status = 502;
        }
        ApiException error = new ApiException(status, message);
        error.fields.put("remote_error", true);
        error.fields.put("remote_status", remoteStatus);
        error.fields.put("remote_body", remoteBody(response.body()));
        if (remoteStatus == 429) {
            long seconds = RetryAfter.millis(response.headers()).map(millis -> Math.max(1, (millis + 999) / 1000)).orElse(1L);
            error.withHeader("Retry-After", Long.toString(seconds));
        }
        return error;
    }

    private static Object remoteBody(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException notJson) {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Adds a response header to the error reply, such as {@code Retry-After}. */
    public ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Adds a top-level field to the error body. */
    public ApiException withField(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Map<String, Object> fields() {
        return fields;
    }

    public int status() {
        return status;
    }

    /** Extra JSON-serialisable detail added to the error body under {@code details}, or null. */
    public Object details() {
        return details;
    }
}
