package dev.ciobridge.customerio;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Converts event times to the Unix seconds the Track API expects. Numbers are read by magnitude: seconds below 10^11,
 * milliseconds below 10^14, microseconds below 10^17, nanoseconds above; {@code 1767225600000} is therefore
 * 2026-01-01, not the year 57,970. Strings may be such numbers or ISO-8601 date-times with up to nine fractional
 * digits and an offset written {@code Z}, {@code +01:00} or {@code +0100}. Anything else is rejected, never replaced
 * by the current time, and so is a time before 2000 or from 2100 on, which is taken for a mistake.
 */
public final class Timestamps {

    private static final DateTimeFormatter ISO_FLEXIBLE = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .appendPattern("[XXX][XX][X]")
            .toFormatter()
            // February 30th is an error, not March 2nd or February 28th.
            .withResolverStyle(java.time.format.ResolverStyle.STRICT);

    /** 2000-01-01T00:00:00Z: earlier times are taken for a mistake, such as a count or a day number. */
    static final long MIN_SECONDS = 946_684_800L;
    /** 2100-01-01T00:00:00Z. */
    static final long MAX_SECONDS = 4_102_444_800L;

    private Timestamps() {
    }

    /**
     * Returns Unix seconds for a JSON number, a numeric string or an ISO-8601 string.
     *
     * @throws IllegalArgumentException with a message naming the value when it is not a time
     */
    public static long toUnixSeconds(Object value) {
        if (value instanceof Number number) {
            return fromNumber(new BigDecimal(number.toString()));
        }
        if (value instanceof String text) {
            String trimmed = text.trim();
            if (trimmed.matches("-?\\d+(\\.\\d+)?")) {
                return fromNumber(new BigDecimal(trimmed));
            }
            long seconds;
            try {
                seconds = OffsetDateTime.parse(trimmed.replace(' ', 'T'), ISO_FLEXIBLE).toEpochSecond();
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("'" + shorten(text) + "' is not a Unix time or an ISO-8601 date-time with offset");
            }
            return requirePlausible(seconds, text);
        }
        throw new IllegalArgumentException("a timestamp must be a number or a string, got " + describe(value));
    }

    private static long fromNumber(BigDecimal number) {
        BigDecimal value = number;
        BigDecimal abs = value.abs();
        if (abs.compareTo(BigDecimal.valueOf(1e11)) >= 0) {
            value = value.movePointLeft(3);
        }
        if (abs.compareTo(BigDecimal.valueOf(1e14)) >= 0) {
            value = value.movePointLeft(3);
        }
        if (abs.compareTo(BigDecimal.valueOf(1e17)) >= 0) {
            value = value.movePointLeft(3);
        }
        long seconds = value.setScale(0, java.math.RoundingMode.FLOOR).longValue();
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException(shorten(number.toPlainString()) + " is not a plausible Unix time (between 2000 and 2100)");
        }
        return seconds;
    }

    /**
     * Returns the Unix seconds of a time read from text (ISO-8601, or an SQL date or time), or rejects one before 2000
     * or after 2100 like a number out of that range.
     *
     * @param shown the value as the caller received it, quoted in the message
     */
    public static long requirePlausible(long seconds, String shown) {
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("'" + shorten(shown) + "' is not a plausible time (between 2000 and 2100)");
        }
        return seconds;
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
