package dev.ciobridge.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Reads the Stripe samples of the repository and signs bodies as Stripe does. */
public final class StripeEvents {

    private StripeEvents() {
    }

    public static byte[] sample(String type) throws IOException {
        return Files.readAllBytes(Path.of("samples/stripe", type + ".json"));
    }

    /** Builds a {@code Stripe-Signature} header for the body, signed now with the secret. */
    public static String signature(String secret, byte[] body) {
        return signature(secret, body, System.currentTimeMillis() / 1000);
    }

    public static String signature(String secret, byte[] body, long timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
