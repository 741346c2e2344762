package dev.ciobridge.customerio;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * ULIDs (26 Crockford base32 characters: 48 bits of Unix milliseconds, then 80 further bits). Customer.io
 * deduplicates Track events on a ULID {@code id}; {@link #derived} makes that id a pure function of the source event,
 * so a retry or a replay of the same event can never count twice.
 */
public final class Ulid {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final long MAX_TIME = (1L << 48) - 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ulid() {
    }

    /**
     * Derives a ULID from a source event: the time part is the event's time, the other 80 bits come from SHA-256 of
     * {@code key}, which must name the source event (source, event id and which operation of that event) and never
     * the person.
     */
    public static String derived(long epochMillis, String key) {
        byte[] hash = sha256(key.getBytes(StandardCharsets.UTF_8));
        return encode(clampTime(epochMillis), hash);
    }

    public static String random() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return encode(clampTime(System.currentTimeMillis()), bytes);
    }

    private static long clampTime(long epochMillis) {
        return Math.max(0, Math.min(MAX_TIME, epochMillis));
    }

    /** Encodes 48 time bits and the first 80 bits of {@code entropy} as 26 characters. */
    private static String encode(long time, byte[] entropy) {
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 bits = 16 characters of 5 bits, read most significant first.
        int bitBuffer = 0;
        int bitCount = 0;
        int index = 0;
        int position = 10;
        while (position < 26) {
            if (bitCount < 5) {
                bitBuffer = (bitBuffer << 8) | (entropy[index++] & 0xFF);
                bitCount += 8;
            }
            bitCount -= 5;
            out[position++] = ALPHABET[(bitBuffer >>> bitCount) & 31];
        }
        return new String(out);
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
