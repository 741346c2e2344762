package dev.ciobridge.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Verifies Stripe's {@code Stripe-Signature} header ({@code t=<unix seconds>,v1=<hex>[,v1=<hex>...]}): HMAC-SHA256 of
 * {@code "<t>." + raw body} under the endpoint's signing secret, compared in constant time with every {@code v1}
 * value (several appear while a secret is being rolled), and {@code t} within the tolerance of the current time.
 */
public final class StripeSignature {

    private StripeSignature() {
    }

    public static void verify(String secret, String header, byte[] rawBody, long nowSeconds, Duration tolerance) {
        if (header == null || header.isBlank()) {
            throw new SignatureException("Missing Stripe-Signature header");
        }
        Long timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int equals = part.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String key = part.substring(0, equals).trim();
            String value = part.substring(equals + 1).trim();
            if (key.equals("t")) {
                try {
                    timestamp = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new SignatureException("Stripe-Signature has a non-numeric timestamp t=" + value);
                }
            } else if (key.equals("v1")) {
                try {
                    signatures.add(HexFormat.of().parseHex(value.toLowerCase()));
                } catch (IllegalArgumentException e) {
                    // Not hex: it cannot match, and another v1 value may still.
                }
            }
        }
        if (timestamp == null) {
            throw new SignatureException("Stripe-Signature has no timestamp (t=...)");
        }
        if (signatures.isEmpty()) {
            throw new SignatureException("Stripe-Signature has no v1 signature");
        }
        if (Math.abs(nowSeconds - timestamp) > tolerance.toSeconds()) {
            throw new SignatureException("Stripe-Signature timestamp " + timestamp + " is outside the tolerance of "
                    + tolerance.toSeconds() + " s; the request may be a replay");
        }
        byte[] expected = Hmac.sha256(secret.getBytes(StandardCharsets.UTF_8),
                (timestamp + ".").getBytes(StandardCharsets.UTF_8), rawBody);
        for (byte[] candidate : signatures) {
            if (java.security.MessageDigest.isEqual(expected, candidate)) {
                return;
            }
        }
        throw new SignatureException("Stripe-Signature does not match the body under this account's stripe signing secret");
    }
}
