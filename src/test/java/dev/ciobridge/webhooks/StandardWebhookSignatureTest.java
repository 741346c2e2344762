package dev.ciobridge.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class StandardWebhookSignatureTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);
    private static final String MESSAGE_ID = "msg_2LKjQ8z1";
    private static final byte[] BODY = "{\"type\":\"order.paid\",\"data\":{\"total\":12}}".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_768_423_008L;
    private static final Duration TOLERANCE = Duration.ofSeconds(300);

    /** Computes a {@code v1,<base64>} value as the Standard Webhooks scheme does, independently of the class under test. */
    private static String sign(byte[] key, String id, long timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    private static String sign(long timestamp) throws Exception {
        return sign(KEY, MESSAGE_ID, timestamp, BODY);
    }

    private static void verify(String timestamp, String signature) {
        StandardWebhookSignature.verify(SECRET, MESSAGE_ID, timestamp, signature, BODY, NOW, TOLERANCE);
    }

    @Test
    void validSignatureIsAccepted() throws Exception {
        String signature = sign(NOW);

        assertThatCode(() -> verify(Long.toString(NOW), signature)).doesNotThrowAnyException();
    }

    @Test
    void secretWithoutPrefixIsRawBytes() throws Exception {
        String rawSecret = "plain-shared-secret";
        String signature = sign(rawSecret.getBytes(StandardCharsets.UTF_8), MESSAGE_ID, NOW, BODY);

        assertThatCode(() -> StandardWebhookSignature.verify(rawSecret, MESSAGE_ID, Long.toString(NOW), signature, BODY,
                NOW, TOLERANCE)).doesNotThrowAnyException();
    }

    @Test
    void prefixedSecretDecodesBase64() {
        assertThat(StandardWebhookSignature.key(SECRET)).isEqualTo(KEY);
    }

    @Test
    void unprefixedSecretIsUtf8() {
        assertThat(StandardWebhookSignature.key("sécret")).isEqualTo("sécret".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nonBase64PrefixedSecretIsUtf8() {
        assertThat(StandardWebhookSignature.key("whsec_not*base64")).isEqualTo(
                "whsec_not*base64".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wrongSecretIsRejected() throws Exception {
        String signature = sign("another-key-of-32-bytes-________".getBytes(StandardCharsets.US_ASCII), MESSAGE_ID, NOW, BODY);

        assertThatThrownBy(() -> verify(Long.toString(NOW), signature))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void prefixedSecretUsedAsTextIsRejected() throws Exception {
        // Signing with the text of the secret instead of its decoded key must not verify.
        String signature = sign(SECRET.getBytes(StandardCharsets.UTF_8), MESSAGE_ID, NOW, BODY);

        assertThatThrownBy(() -> verify(Long.toString(NOW), signature))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void tamperedBodyIsRejected() throws Exception {
        String signature = sign(NOW);
        byte[] tampered = "{\"type\":\"order.paid\",\"data\":{\"total\":99}}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> StandardWebhookSignature.verify(SECRET, MESSAGE_ID, Long.toString(NOW), signature,
                tampered, NOW, TOLERANCE))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void otherMessageIdIsRejected() throws Exception {
        String signature = sign(NOW);

        assertThatThrownBy(() -> StandardWebhookSignature.verify(SECRET, "msg_other", Long.toString(NOW), signature,
                BODY, NOW, TOLERANCE))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void changedTimestampIsRejected() throws Exception {
        String signature = sign(NOW);

        assertThatThrownBy(() -> verify(Long.toString(NOW - 1), signature))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void timestampAtPastToleranceIsAccepted() throws Exception {
        String signature = sign(NOW - 300);

        assertThatCode(() -> verify(Long.toString(NOW - 300), signature)).doesNotThrowAnyException();
    }

    @Test
    void staleTimestampIsRejected() throws Exception {
        String signature = sign(NOW - 301);

        assertThatThrownBy(() -> verify(Long.toString(NOW - 301), signature))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("outside the tolerance");
    }

    @Test
    void timestampAtFutureToleranceIsAccepted() throws Exception {
        String signature = sign(NOW + 300);

        assertThatCode(() -> verify(Long.toString(NOW + 300), signature)).doesNotThrowAnyException();
    }

    @Test
    void futureTimestampIsRejected() throws Exception {
        String signature = sign(NOW + 301);

        assertThatThrownBy(() -> verify(Long.toString(NOW + 301), signature))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("outside the tolerance");
    }

    @Test
    void oneMatchingAmongSeveralIsAccepted() throws Exception {
        String old = sign("old-key-old-key-old-key-old-key-".getBytes(StandardCharsets.US_ASCII), MESSAGE_ID, NOW, BODY);
        String signatures = old + " " + sign(NOW);

        assertThatCode(() -> verify(Long.toString(NOW), signatures)).doesNotThrowAnyException();
    }

    @Test
    void otherVersionsAreSkipped() throws Exception {
        String signatures = "v1a,c2lnbmF0dXJl " + sign(NOW);

        assertThatCode(() -> verify(Long.toString(NOW), signatures)).doesNotThrowAnyException();
    }

    @Test
    void onlyOtherVersionIsRejected() throws Exception {
        String signature = sign(NOW).replace("v1,", "v2,");

        assertThatThrownBy(() -> verify(Long.toString(NOW), signature))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void nonBase64ValueIsSkipped() throws Exception {
        String signatures = "v1,***not*base64*** " + sign(NOW);

        assertThatCode(() -> verify(Long.toString(NOW), signatures)).doesNotThrowAnyException();
    }

    @Test
    void onlyNonBase64ValueIsRejected() {
        assertThatThrownBy(() -> verify(Long.toString(NOW), "v1,***not*base64***"))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void valueWithoutCommaIsRejected() {
        assertThatThrownBy(() -> verify(Long.toString(NOW), "v1"))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void missingIdIsRejected() throws Exception {
        String signature = sign(NOW);

        assertThatThrownBy(() -> StandardWebhookSignature.verify(SECRET, null, Long.toString(NOW), signature, BODY, NOW,
                TOLERANCE))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("webhook-id");
    }

    @Test
    void blankIdIsRejected() throws Exception {
        String signature = sign(NOW);

        assertThatThrownBy(() -> StandardWebhookSignature.verify(SECRET, " ", Long.toString(NOW), signature, BODY, NOW,
                TOLERANCE))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("webhook-id");
    }

    @Test
    void missingTimestampIsRejected() throws Exception {
        String signature = sign(NOW);

        assertThatThrownBy(() -> verify(null, signature))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("Missing webhook-timestamp");
    }

    @Test
    void nonNumericTimestampIsRejected() throws Exception {
        String signature = sign(NOW);

        assertThatThrownBy(() -> verify("2026-01-14T20:36:48Z", signature))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("not a Unix time");
    }

    @Test
    void missingSignatureIsRejected() {
        assertThatThrownBy(() -> verify(Long.toString(NOW), null))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("Missing webhook-signature");
    }

    @Test
    void blankSignatureIsRejected() {
        assertThatThrownBy(() -> verify(Long.toString(NOW), " "))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("Missing webhook-signature");
    }

    @Test
    void rejectionIsUnauthorized() {
        assertThatThrownBy(() -> verify(Long.toString(NOW), "v1,AAAA"))
                .isInstanceOfSatisfying(SignatureException.class, e -> assertThat(e.status()).isEqualTo(401));
    }
}
