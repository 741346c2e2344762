package dev.ciobridge.customerio;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class UlidTest {

    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final long JANUARY_14_2026_MILLIS = 1_768_423_008_652L;

    /** Reads Crockford base32 characters as one unsigned number. */
    private static BigInteger decode(String characters) {
        BigInteger value = BigInteger.ZERO;
        for (char c : characters.toCharArray()) {
            int digit = CROCKFORD.indexOf(c);
            assertThat(digit).as("Crockford digit for '%s'", c).isNotNegative();
            value = value.shiftLeft(5).or(BigInteger.valueOf(digit));
        }
        return value;
    }

    private static long decodeMillis(String ulid) {
        return decode(ulid.substring(0, 10)).longValueExact();
    }

    @Test
    void derivedHas26Characters() {
        assertThat(Ulid.derived(JANUARY_14_2026_MILLIS, "stripe:evt_1:event")).hasSize(26);
    }

    @Test
    void derivedUsesCrockfordAlphabet() {
        assertThat(Ulid.derived(JANUARY_14_2026_MILLIS, "stripe:evt_1:event")).matches("[0-9A-HJKMNP-TV-Z]{26}");
    }

    @Test
    void derivedIsDeterministic() {
        String first = Ulid.derived(JANUARY_14_2026_MILLIS, "stripe:evt_1:event");
        String second = Ulid.derived(JANUARY_14_2026_MILLIS, "stripe:evt_1:event");

        assertThat(second).isEqualTo(first);
    }

    @Test
    void differentKeysGiveDifferentIds() {
        String event = Ulid.derived(JANUARY_14_2026_MILLIS, "stripe:evt_1:event");
        String identify = Ulid.derived(JANUARY_14_2026_MILLIS, "stripe:evt_1:identify");

        assertThat(identify).isNotEqualTo(event);
    }

    @Test
    void differentKeysShareTimePrefix() {
        String event = Ulid.derived(JANUARY_14_2026_MILLIS, "stripe:evt_1:event");
        String identify = Ulid.derived(JANUARY_14_2026_MILLIS, "stripe:evt_1:identify");

        assertThat(identify.substring(0, 10)).isEqualTo(event.substring(0, 10));
    }

    @Test
    void timePrefixEncodesMillis() {
        String ulid = Ulid.derived(JANUARY_14_2026_MILLIS, "key");

        assertThat(decodeMillis(ulid)).isEqualTo(JANUARY_14_2026_MILLIS);
    }

    @Test
    void knownTimePrefix() {
        // The reference JavaScript ULID library documents ulid(1469918176385) as 01ARYZ6S41TSV4RRFFQ69G5FAV.
        assertThat(Ulid.derived(1_469_918_176_385L, "key")).startsWith("01ARYZ6S41");
    }

    @Test
    void randomPartIsSha256OfKey() throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest("stripe:evt_1:event".getBytes(StandardCharsets.UTF_8));
        BigInteger expected = new BigInteger(1, Arrays.copyOf(hash, 10));

        String ulid = Ulid.derived(JANUARY_14_2026_MILLIS, "stripe:evt_1:event");

        assertThat(decode(ulid.substring(10))).isEqualTo(expected);
    }

    @Test
    void laterTimeSortsAfter() {
        String earlier = Ulid.derived(JANUARY_14_2026_MILLIS, "zzz");
        String later = Ulid.derived(JANUARY_14_2026_MILLIS + 1, "aaa");

        assertThat(later).isGreaterThan(earlier);
    }

    @Test
    void prefixesSortLikeTimes() {
        long[] times = {0L, 1L, 31L, 32L, 1_000L, 1_469_918_176_385L, JANUARY_14_2026_MILLIS, (1L << 48) - 1};
        for (int i = 1; i < times.length; i++) {
            String before = Ulid.derived(times[i - 1], "k").substring(0, 10);
            String after = Ulid.derived(times[i], "k").substring(0, 10);

            assertThat(after).as("prefix of %d after prefix of %d", times[i], times[i - 1]).isGreaterThan(before);
        }
    }

    @Test
    void negativeTimeClampsToZero() {
        assertThat(Ulid.derived(-5L, "k")).startsWith("0000000000");
    }

    @Test
    void largestTimeIsAllSevenZ() {
        assertThat(Ulid.derived((1L << 48) - 1, "k")).startsWith("7ZZZZZZZZZ");
    }

    @Test
    void timeBeyond48BitsIsClamped() {
        assertThat(Ulid.derived(Long.MAX_VALUE, "k")).startsWith("7ZZZZZZZZZ");
    }

    @Test
    void randomHas26CrockfordCharacters() {
        assertThat(Ulid.random()).matches("[0-9A-HJKMNP-TV-Z]{26}");
    }

    @Test
    void randomValuesDiffer() {
        assertThat(Ulid.random()).isNotEqualTo(Ulid.random());
    }

    @Test
    void randomEncodesCurrentTime() {
        long before = System.currentTimeMillis();
        String ulid = Ulid.random();
        long after = System.currentTimeMillis();

        assertThat(decodeMillis(ulid)).isBetween(before, after);
    }
}
