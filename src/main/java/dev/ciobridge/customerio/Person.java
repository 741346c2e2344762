package dev.ciobridge.customerio;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A person identifier as the Track API takes it: one of {@code id}, {@code email} or {@code cio_id}, as a canonical
 * string. Numeric ids become their plain decimal form ({@code 1234567890123}, never {@code 1.234567890123E12}),
 * emails are lower-cased because Customer.io compares them case-insensitively, and a {@code cio_} prefix on a cio_id
 * is dropped.
 */
public record Person(String type, String value) {

    public static final String ID = "id";
    public static final String EMAIL = "email";
    public static final String CIO_ID = "cio_id";

    public Person {
        if (!ID.equals(type) && !EMAIL.equals(type) && !CIO_ID.equals(type)) {
            throw new IllegalArgumentException("unknown identifier type " + type);
        }
    }

    /**
     * Builds a person from a JSON value, checking Customer.io's limits.
     *
     * @param field the field name used in error messages
     * @throws IllegalArgumentException naming the field when the value is unusable
     */
    public static Person of(String type, JsonNode node, String field) {
        String text;
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new IllegalArgumentException(field + " is missing");
        } else if (node.isTextual()) {
            text = node.asText();
        } else if (node.isIntegralNumber()) {
            text = node.bigIntegerValue().toString();
        } else if (node.isNumber()) {
            BigDecimal decimal = node.decimalValue().stripTrailingZeros();
            if (decimal.scale() > 0) {
                throw new IllegalArgumentException(field + " must be a string or an integer, got " + node.asText());
            }
            text = decimal.toPlainString();
        } else {
            throw new IllegalArgumentException(field + " must be a string or an integer");
        }
        return of(type, text, field);
    }

    public static Person of(String type, String raw, String field) {
        String value = raw;
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        if (EMAIL.equals(type)) {
            value = value.trim().toLowerCase(Locale.ROOT);
            if (value.indexOf('@') < 1) {
                throw new IllegalArgumentException(field + " is not an email address: '" + raw + "'");
            }
        } else if (CIO_ID.equals(type) && value.startsWith("cio_")) {
            value = value.substring(4);
            if (value.isBlank()) {
                throw new IllegalArgumentException(field + " is empty after the cio_ prefix: '" + raw + "'");
            }
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > TrackLimits.IDENTIFIER_BYTES) {
            throw new IllegalArgumentException(field + " is " + bytes + " bytes in UTF-8; Customer.io allows at most "
                    + TrackLimits.IDENTIFIER_BYTES);
        }
        return new Person(type, value);
    }

    /** Returns the key that orders this person's operations in the outbox. */
    public String key() {
        return type + ":" + value;
    }

    /**
     * Returns the form of this identifier in a Track v1 path, or null when v1 would read it as another type: v1 infers the
     * type from the shape, so an id containing {@code @} would be taken for an email and one starting {@code cio_}
     * for a cio_id. An id of {@code .} or {@code ..} also returns null: URL normalisation would resolve it.
     */
    public String v1PathIdentifier() {
        if (PathSegments.isDotSegment(value)) {
            return null;
        }
        return switch (type) {
            case EMAIL -> value;
            case CIO_ID -> "cio_" + value;
            default -> value.indexOf('@') >= 0 || value.startsWith("cio_") ? null : value;
        };
    }

    public static Person fromKey(String key) {
        int colon = key.indexOf(':');
        return new Person(key.substring(0, colon), key.substring(colon + 1));
    }
}
