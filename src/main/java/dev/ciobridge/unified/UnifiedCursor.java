package dev.ciobridge.unified;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.Json;

/**
 * Encodes and checks the opaque {@code next_cursor} of unified lists. A cursor is the base64url JSON of its
 * {@link Position} followed by a dot and an HMAC-SHA256 tag over those bytes. The HMAC key is derived from the
 * service's master key, so a cursor survives a restart but cannot be forged or edited.
 */
public final class UnifiedCursor {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String KEY_LABEL = "cio-bridge unified next_cursor v1";
    /** Maximum cursor length accepted, far above any cursor this class issues; longer input is rejected unread. */
    private static final int MAX_CURSOR_CHARS = 4096;

    /**
     * The position at which a list continues.
     *
     * @param account integrated account id the list belongs to
     * @param resource unified resource name, such as {@code contacts}
     * @param filter digest of the list's filter parameters ({@link #filterDigest}), so no filter value such as an
     *               email address is readable in the cursor
     * @param start Customer.io's {@code start} token, or for lists Customer.io returns whole, the id after which the
     *              next page begins
     * @param issuedAt Unix milliseconds when the cursor was issued
     */
    public record Position(String account, String resource, String filter, String start, long issuedAt) {
    }

    private final byte[] key;
    private final Duration maxAge;

    public UnifiedCursor(byte[] masterKey, Duration maxAge) {
        this.key = hmac(masterKey, KEY_LABEL.getBytes(StandardCharsets.UTF_8));
        this.maxAge = maxAge;
    }

    public String encode(Position position) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("a", position.account());
        json.put("r", position.resource());
        json.put("f", position.filter());
        json.put("s", position.start());
        json.put("t", position.issuedAt());
        byte[] payload = Json.write(json);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(hmac(key, payload));
    }

    /**
     * Returns the position of a cursor issued for this account, resource and filter.
     *
     * @throws ApiException 400 naming {@code next_cursor} when the cursor is malformed, altered, expired or was
     *                      issued for another account, resource or filter
     */
    public Position decode(String cursor, String account, String resource, String filter, long nowMillis) {
        if (cursor.length() > MAX_CURSOR_CHARS) {
            throw invalid("it is longer than any cursor this service issues");
        }

        int dot = cursor.indexOf('.');
        byte[] payload;
        byte[] tag;
        try {
            if (dot < 1) {
                throw new IllegalArgumentException("no tag");
            }
            payload = DECODER.decode(cursor.substring(0, dot));
            tag = DECODER.decode(cursor.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid("it is not a cursor returned by this service");
        }

        if (!MessageDigest.isEqual(tag, hmac(key, payload))) {
            throw invalid("its signature does not match, so it was altered or not issued by this service");
        }

        Position position = parse(payload);
        if (!position.account().equals(account)) {
            throw invalid("it was issued for another integrated account");
        }
        if (!position.resource().equals(resource)) {
            throw invalid("it was issued for the list of " + position.resource() + ", not " + resource);
        }
        if (!position.filter().equals(filter)) {
            throw invalid("it was issued for other filters; send the same filters with next_cursor, or start again "
                    + "without next_cursor");
        }
        if (nowMillis - position.issuedAt() > maxAge.toMillis()) {
            throw invalid("it expired; cursors are valid for " + maxAge.toSeconds() + " s, so start again without next_cursor");
        }
        return position;
    }

    /** Returns a short digest of the canonical filter text; equal filters give equal digests. */
    public static String filterDigest(String canonicalFilter) {
        if (canonicalFilter.isEmpty()) {
            return "";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalFilter.getBytes(StandardCharsets.UTF_8));
            return ENCODER.encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    private static Position parse(byte[] payload) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(payload);
        } catch (java.io.IOException e) {
            throw invalid("its content is unreadable");
        }
        if (json == null || !json.path("a").isTextual() || !json.path("r").isTextual() || !json.path("f").isTextual()
                || !json.path("s").isTextual() || !json.path("t").canConvertToLong()) {
            throw invalid("its content is unreadable");
        }
        return new Position(json.get("a").asText(), json.get("r").asText(), json.get("f").asText(), json.get("s").asText(),
                json.get("t").asLong());
    }

    private static ApiException invalid(String reason) {
        return ApiException.badRequest("Invalid next_cursor: " + reason);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
