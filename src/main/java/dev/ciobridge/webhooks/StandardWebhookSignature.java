package dev.ciobridge.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Verifies the Standard Webhooks scheme: headers {@code webhook-id}, {@code webhook-timestamp} (Unix seconds) and
 * {@code webhook-signature} (space-separated {@code v1,<base64>} values); the signature is HMAC-SHA256 of
 * {@code "<id>.<timestamp>." + raw body}. The secret is written {@code whsec_<base64 key>}; a secret without that
 * prefix is used as raw UTF-8 bytes.
 */
public final class StandardWebhookSignature {

    private StandardWebhookSignature() {
    }

    public static void verify(String secret, String id, String timestampHeader, String signatureHeader, byte[] rawBody,
                              long nowSeconds, Duration tolerance) {
        if (id == null || id.isBlank()) {
            throw new SignatureException("Missing webhook-id header");
        }
        if (timestampHeader == null || timestampHeader.isBlank()) {
            throw new SignatureException("Missing webhook-timestamp header");
        }
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw new SignatureException("Missing webhook-signature header");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            throw new SignatureException("webhook-timestamp is not a Unix time in seconds: " + timestampHeader);
        }
        if (Math.abs(nowSeconds - timestamp) > tolerance.toSeconds()) {
            throw new SignatureException("webhook-timestamp " + timestamp + " is outside the tolerance of "
                    + tolerance.toSeconds() + " s; the request may be a replay");
        }
        byte[] expected = Hmac.sha256(key(secret),
                (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), rawBody);
        for (String candidate : signatureHeader.trim().split("\\s+")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !candidate.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] presented;
            try {
                presented = Base64.getDecoder().decode(candidate.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (java.security.MessageDigest.isEqual(expected, presented)) {
                return;
            }
        }
        throw new SignatureException("webhook-signature does not match the body under this account's events signing secret");
    }

    static byte[] key(String secret) {
        if (secret.startsWith("whsec_")) {
            try {
                return Base64.getDecoder().decode(secret.substring(6));
            } catch (IllegalArgumentException e) {
                // Not base64 after the prefix: fall back to the raw bytes of the whole secret.
            }
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }
}
