package dev.ciobridge.customerio;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads Customer.io's {@code Retry-After} header, as seconds or as an HTTP date. */
public final class RetryAfter {

    /** Maximum wait taken from a {@code Retry-After} header, which caps longer values. */
    public static final long MAX_MILLIS = Duration.ofHours(1).toMillis();

    private RetryAfter() {
    }

    /** Returns the requested wait in milliseconds, capped at {@link #MAX_MILLIS}, or empty when absent or unreadable. */
    public static Optional<Long> millis(HttpHeaders headers) {
        return parse(headers).map(millis -> Math.min(millis, MAX_MILLIS));
    }

    private static Optional<Long> parse(HttpHeaders headers) {
        Optional<String> header = headers.firstValue("Retry-After");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        try {
            return Optional.of(Math.max(0, Duration.ofSeconds(Long.parseLong(value)).toMillis()));
        } catch (ArithmeticException tooLarge) {
            // Seconds too many to convert to milliseconds are unusable, like a number beyond a long, so the caller backs off.
            return Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Optional.of(Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis()));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
