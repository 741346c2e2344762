package dev.ciobridge.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class StripeSignatureTest {

    private static final String SECRET = "whsec_test_5f3c1a9e";
    private static final byte[] BODY = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_768_423_008L;
    private static final Duration TOLERANCE = Duration.ofSeconds(300);

    /** Computes the v1 value as Stripe does, independently of the class under test. */
    private static String sign(String secret, long timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static String header(long timestamp) throws Exception {
        return "t=" + timestamp + ",v1=" + sign(SECRET, timestamp, BODY);
    }

    private static void verify(String header) {
        StripeSignature.verify(SECRET, header, BODY, NOW, TOLERANCE);
    }

    @Test
    void validSignatureIsAccepted() throws Exception {
        String header = header(NOW);

        assertThatCode(() -> verify(header)).doesNotThrowAnyException();
    }

    @Test
    void upperCaseHexIsAccepted() throws Exception {
        String header = "t=" + NOW + ",v1=" + sign(SECRET, NOW, BODY).toUpperCase(Locale.ROOT);

        assertThatCode(() -> verify(header)).doesNotThrowAnyException();
    }

    @Test
    void spacesAroundPartsAreAccepted() throws Exception {
        String header = " t=" + NOW + " , v1=" + sign(SECRET, NOW, BODY) + " ";

        assertThatCode(() -> verify(header)).doesNotThrowAnyException();
    }

    @Test
    void v0SignatureIsIgnored() throws Exception {
        String header = "t=" + NOW + ",v0=" + sign(SECRET, NOW, BODY);

        assertThatThrownBy(() -> verify(header))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("no v1 signature");
    }

    @Test
    void wrongSecretIsRejected() throws Exception {
        String header = "t=" + NOW + ",v1=" + sign("whsec_other", NOW, BODY);

        assertThatThrownBy(() -> verify(header))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void tamperedBodyIsRejected() throws Exception {
        String header = header(NOW);
        byte[] tampered = "{\"id\":\"evt_1\",\"type\":\"invoice.paie\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> StripeSignature.verify(SECRET, header, tampered, NOW, TOLERANCE))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void changedTimestampIsRejected() throws Exception {
        String header = "t=" + (NOW - 1) + ",v1=" + sign(SECRET, NOW, BODY);

        assertThatThrownBy(() -> verify(header))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void rejectionIsUnauthorized() throws Exception {
        String header = "t=" + NOW + ",v1=" + sign("whsec_other", NOW, BODY);

        assertThatThrownBy(() -> verify(header))
                .isInstanceOfSatisfying(SignatureException.class,
                        e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void timestampAtPastToleranceIsAccepted() throws Exception {
        String header = header(NOW - 300);

        assertThatCode(() -> verify(header)).doesNotThrowAnyException();
    }

    @Test
    void staleTimestampIsRejected() throws Exception {
        String header = header(NOW - 301);

        assertThatThrownBy(() -> verify(header))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("outside the tolerance");
    }

    @Test
    void timestampAtFutureToleranceIsAccepted() throws Exception {
        String header = header(NOW + 300);

        assertThatCode(() -> verify(header)).doesNotThrowAnyException();
    }

    @Test
    void futureTimestampIsRejected() throws Exception {
        String header = header(NOW + 301);

        assertThatThrownBy(() -> verify(header))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("outside the tolerance");
    }

    @Test
    void oneMatchingV1AmongSeveralIsAccepted() throws Exception {
        String header = "t=" + NOW + ",v1=" + sign("whsec_old", NOW, BODY) + ",v1=" + sign(SECRET, NOW, BODY);

        assertThatCode(() -> verify(header)).doesNotThrowAnyException();
    }

    @Test
    void matchingV1AfterNonHexIsAccepted() throws Exception {
        String header = "t=" + NOW + ",v1=not-hex,v1=" + sign(SECRET, NOW, BODY);

        assertThatCode(() -> verify(header)).doesNotThrowAnyException();
    }

    @Test
    void noMatchingV1AmongSeveralIsRejected() throws Exception {
        String header = "t=" + NOW + ",v1=" + sign("whsec_old", NOW, BODY) + ",v1=" + sign("whsec_new", NOW, BODY);

        assertThatThrownBy(() -> verify(header))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void nullHeaderIsRejected() {
        assertThatThrownBy(() -> verify(null))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("Missing Stripe-Signature");
    }

    @Test
    void blankHeaderIsRejected() {
        assertThatThrownBy(() -> verify("  "))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("Missing Stripe-Signature");
    }

    @Test
    void missingTimestampIsRejected() throws Exception {
        String header = "v1=" + sign(SECRET, NOW, BODY);

        assertThatThrownBy(() -> verify(header))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("no timestamp");
    }

    @Test
    void nonNumericTimestampIsRejected() throws Exception {
        String header = "t=soon,v1=" + sign(SECRET, NOW, BODY);

        assertThatThrownBy(() -> verify(header))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("non-numeric timestamp t=soon");
    }

    @Test
    void missingV1IsRejected() {
        assertThatThrownBy(() -> verify("t=" + NOW))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("no v1 signature");
    }

    @Test
    void partsWithoutEqualsAreRejected() {
        assertThatThrownBy(() -> verify("garbage,more"))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("no timestamp");
    }

    @Test
    void onlyNonHexV1IsRejected() {
        assertThatThrownBy(() -> verify("t=" + NOW + ",v1=zz"))
                .isInstanceOf(SignatureException.class);
    }

    @Test
    void oddLengthHexIsRejected() throws Exception {
        String header = "t=" + NOW + ",v1=" + sign(SECRET, NOW, BODY).substring(1);

        assertThatThrownBy(() -> verify(header))
                .isInstanceOf(SignatureException.class);
    }

    @Test
    void truncatedSignatureIsRejected() throws Exception {
        String header = "t=" + NOW + ",v1=" + sign(SECRET, NOW, BODY).substring(0, 32);

        assertThatThrownBy(() -> verify(header))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void emptyV1IsRejected() {
        assertThatThrownBy(() -> verify("t=" + NOW + ",v1="))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("does not match");
    }
}
