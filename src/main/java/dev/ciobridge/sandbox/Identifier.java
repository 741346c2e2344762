package dev.ciobridge.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A person identifier with its type. Emails are kept lower-cased because Customer.io compares them without case;
 * a {@code cio_id} is kept without its {@code cio_} prefix.
 */
public record Identifier(IdType type, String value) {

    private static final Pattern EMAIL_SHAPE = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final String CIO_PREFIX = "cio_";

    public Identifier {
        if (type == IdType.EMAIL) {
            value = value.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Reads a Track v1 path identifier the way Customer.io infers its type: a {@code cio_} prefix is a cio_id, an
     * email-shaped value is an email, anything else (phone numbers included) is an id.
     */
    public static Identifier fromPath(String decoded) {
        if (decoded.startsWith(CIO_PREFIX) && decoded.length() > CIO_PREFIX.length()) {
            return new Identifier(IdType.CIO_ID, decoded.substring(CIO_PREFIX.length()));
        }
        if (EMAIL_SHAPE.matcher(decoded).matches()) {
            return new Identifier(IdType.EMAIL, decoded);
        }
        return new Identifier(IdType.ID, decoded);
    }

    /** Reads an identifier whose type is given by an {@code id_type} parameter, as the App API does. */
    public static Identifier of(IdType type, String value) {
        return new Identifier(type, value);
    }

    /**
     * Decodes the percent-escapes of one path segment as UTF-8, so {@code org%2F42} becomes {@code org/42}. A plus
     * sign stays a plus sign, because form encoding does not apply to paths. Returns null for a malformed escape.
     */
    static String percentDecode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    return null;
                }
                int high = Character.digit(segment.charAt(i + 1), 16);
                int low = Character.digit(segment.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
