package dev.ciobridge.customerio;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encodes one URL path segment, keeping only RFC 3986 unreserved characters as they are. A person id such as
 * {@code org/42} becomes {@code org%2F42}, and {@code @}, {@code +}, {@code %}, spaces and non-ASCII letters are
 * encoded from their UTF-8 bytes, so the value arrives at Customer.io intact.
 */
public final class PathSegments {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathSegments() {
    }

    public static String encode(String segment) {
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        StringBuilder encoded = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (isUnreserved(c)) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return encoded.toString();
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
