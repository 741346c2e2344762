package dev.ciobridge.customerio;

import java.nio.charset.StandardCharsets;

import dev.ciobridge.api.ApiException;

/**
 * Percent-encodes one URL path segment, keeping only RFC 3986 unreserved characters as they are. A person id such as
 * {@code org/42} becomes {@code org%2F42}, and {@code @}, {@code +}, {@code %}, spaces and non-ASCII letters are
 * encoded from their UTF-8 bytes, so the value arrives at Customer.io intact.
 */
public final class PathSegments {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathSegments() {
    }

    /**
     * Encodes the segment. A segment of {@code .} or {@code ..} is refused with a 400: percent-encoded or not, servers
     * and proxies that normalise paths would resolve it and send the request to another resource.
     */
    public static String encode(String segment) {
        if (isDotSegment(segment)) {
            throw ApiException.badRequest("'" + segment + "' cannot be sent as a path segment to Customer.io, because "
                    + "the URL would point to another resource");
        }
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

    /** True for {@code .} and {@code ..}, which URL normalisation removes or resolves. */
    public static boolean isDotSegment(String segment) {
        return segment.equals(".") || segment.equals("..");
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
