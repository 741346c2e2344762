package dev.ciobridge.api;

/**
 * A request that cannot be served, with the HTTP status and a message that names the field or value at fault. The
 * error route configuration turns it into the JSON body {@code {"statusCode", "error", "message"}}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final transient Object details;

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

    public int status() {
        return status;
    }

    /** Extra JSON-serialisable detail added to the error body under {@code details}, or null. */
    public Object details() {
        return details;
    }
}
