package dev.ciobridge.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import dev.ciobridge.customerio.RateLimitStatus;

/** Writes JSON replies on a platform-http exchange, removing every other header so none leaks to the caller. */
public final class HttpReplies {

    /**
     * Exchange property holding the {@link RateLimitStatus} of the last Customer.io call a request made; the reply
     * then carries it as {@code ratelimit-limit}, {@code ratelimit-remaining} and {@code ratelimit-reset}.
     */
    public static final String RATE_LIMIT_PROPERTY = "cioBridgeRateLimit";

    private HttpReplies() {
    }

    public static void json(Exchange exchange, int status, Object body) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        RateLimitStatus rateLimit = exchange.getProperty(RATE_LIMIT_PROPERTY, RateLimitStatus.class);
        if (rateLimit != null) {
            rateLimit.headers().forEach(message::setHeader);
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(Json.write(body));
    }

    public static void error(Exchange exchange, int status, String message, Object details) {
        error(exchange, status, message, details, Map.of());
    }

    public static void error(Exchange exchange, int status, String message, Object details, Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", status);
        body.put("error", reasonPhrase(status));
        body.put("message", message);
        if (details != null) {
            body.put("details", details);
        }
        body.putAll(fields);
        json(exchange, status, body);
    }

    public static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
