package dev.ciobridge.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Cursor pagination of the App API: {@code start} is the opaque {@code next} of the previous page and {@code limit}
 * the page size, checked against the endpoint's maximum. The cursor encodes a position whose meaning each list
 * defines (a person slot, a delivery index), so pages stay stable while data is added.
 *
 * @param position where the page starts, or -1 when the request had no {@code start}
 * @param limit page size
 */
record Page(int position, int limit) {

    static Page parse(SimExchange exchange, int defaultLimit, int maxLimit) {
        String limitText = exchange.query("limit");
        int limit = defaultLimit;
        if (limitText != null && !limitText.isEmpty()) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                throw ApiError.app(400, "limit must be an integer between 1 and " + maxLimit + ", was '" + limitText + "'");
            }
        }
        if (limit < 1 || limit > maxLimit) {
            throw ApiError.app(400, "limit must be between 1 and " + maxLimit + ", was " + limit);
        }
        String start = exchange.query("start");
        if (start == null || start.isEmpty()) {
            return new Page(-1, limit);
        }
        return new Page(decode(start), limit);
    }

    static String encode(int position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("p" + position).getBytes(StandardCharsets.US_ASCII));
    }

    private static int decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (text.startsWith("p")) {
                int position = Integer.parseInt(text.substring(1));
                if (position >= 0) {
                    return position;
                }
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the error below; NumberFormatException is an IllegalArgumentException.
        }
        throw ApiError.app(400, "start '" + cursor + "' is not a cursor returned as next by this endpoint");
    }
}
