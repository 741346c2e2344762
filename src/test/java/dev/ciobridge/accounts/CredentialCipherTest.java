package dev.ciobridge.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class CredentialCipherTest {

    private static final String ACCOUNT = "acct_7f2c";
    private static final String PLAINTEXT = "{\"siteId\":\"abc123\",\"apiKey\":\"sk_live_é😀\"}";

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    private final CredentialCipher cipher = new CredentialCipher(key(7));

    /** Flips one bit of the stored bytes at {@code index}, counted from the start of the decoded value. */
    private static String flipBit(String stored, int index) {
        byte[] bytes = Base64.getDecoder().decode(stored);
        bytes[index] ^= 0x01;
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void roundTripReturnsPlaintext() {
        String stored = cipher.encrypt(ACCOUNT, PLAINTEXT);

        assertThat(cipher.decrypt(ACCOUNT, stored)).isEqualTo(PLAINTEXT);
    }

    @Test
    void emptyPlaintextRoundTrips() {
        String stored = cipher.encrypt(ACCOUNT, "");

        assertThat(cipher.decrypt(ACCOUNT, stored)).isEmpty();
    }

    @Test
    void anotherInstanceWithSameKeyDecrypts() {
        String stored = cipher.encrypt(ACCOUNT, PLAINTEXT);

        assertThat(new CredentialCipher(key(7)).decrypt(ACCOUNT, stored)).isEqualTo(PLAINTEXT);
    }

    @Test
    void ciphertextDiffersEachTime() {
        String first = cipher.encrypt(ACCOUNT, PLAINTEXT);
        String second = cipher.encrypt(ACCOUNT, PLAINTEXT);

        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void storedFormHasVersionNonceAndTag() {
        byte[] stored = Base64.getDecoder().decode(cipher.encrypt(ACCOUNT, "secret"));

        // One version byte, a 12-byte nonce, the 6 bytes of ciphertext and a 16-byte tag.
        assertThat(stored).hasSize(1 + 12 + 6 + 16);
    }

    @Test
    void storedFormStartsWithVersionOne() {
        byte[] stored = Base64.getDecoder().decode(cipher.encrypt(ACCOUNT, "secret"));

        assertThat(stored[0]).isEqualTo((byte) 1);
    }

    @Test
    void plaintextDoesNotAppear() {
        String stored = cipher.encrypt(ACCOUNT, "sk_live_abcdefghijklmnop");

        assertThat(new String(Base64.getDecoder().decode(stored), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("sk_live");
    }

    @Test
    void wrongAccountIdFails() {
        String stored = cipher.encrypt(ACCOUNT, PLAINTEXT);

        assertThatThrownBy(() -> cipher.decrypt("acct_other", stored))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("acct_other");
    }

    @Test
    void wrongKeyFails() {
        String stored = cipher.encrypt(ACCOUNT, PLAINTEXT);
        CredentialCipher other = new CredentialCipher(key(8));

        assertThatThrownBy(() -> other.decrypt(ACCOUNT, stored))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ACCOUNT);
    }

    @Test
    void tamperedCiphertextFails() {
        String stored = cipher.encrypt(ACCOUNT, PLAINTEXT);

        assertThatThrownBy(() -> cipher.decrypt(ACCOUNT, flipBit(stored, 1 + 12)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void tamperedNonceFails() {
        String stored = cipher.encrypt(ACCOUNT, PLAINTEXT);

        assertThatThrownBy(() -> cipher.decrypt(ACCOUNT, flipBit(stored, 1)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void tamperedTagFails() {
        String stored = cipher.encrypt(ACCOUNT, PLAINTEXT);
        int last = Base64.getDecoder().decode(stored).length - 1;

        assertThatThrownBy(() -> cipher.decrypt(ACCOUNT, flipBit(stored, last)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unknownVersionFails() {
        String stored = cipher.encrypt(ACCOUNT, PLAINTEXT);

        assertThatThrownBy(() -> cipher.decrypt(ACCOUNT, flipBit(stored, 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown format");
    }

    @Test
    void truncatedValueFails() {
        String truncated = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});

        assertThatThrownBy(() -> cipher.decrypt(ACCOUNT, truncated))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown format");
    }

    @Test
    void shortKeyIsRejected() {
        assertThatThrownBy(() -> new CredentialCipher(new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }
}
