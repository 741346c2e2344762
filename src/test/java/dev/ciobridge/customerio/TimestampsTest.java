package dev.ciobridge.customerio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    /** 2026-01-01T00:00:00Z. */
    private static final long NEW_YEAR_2026 = 1_767_225_600L;
    /** 2026-01-14T20:36:48Z. */
    private static final long JANUARY_14_2026 = 1_768_423_008L;

    @Test
    void secondsAreKept() {
        assertThat(Timestamps.toUnixSeconds(NEW_YEAR_2026)).isEqualTo(NEW_YEAR_2026);
    }

    @Test
    void intSecondsAreKept() {
        assertThat(Timestamps.toUnixSeconds(1_700_000_000)).isEqualTo(1_700_000_000L);
    }

    @Test
    void millisecondsAreConvertedToSeconds() {
        assertThat(Timestamps.toUnixSeconds(1_767_225_600_000L)).isEqualTo(NEW_YEAR_2026);
    }

    @Test
    void millisecondsFractionIsTruncated() {
        assertThat(Timestamps.toUnixSeconds(1_767_225_600_999L)).isEqualTo(NEW_YEAR_2026);
    }

    @Test
    void microsecondsAreConvertedToSeconds() {
        assertThat(Timestamps.toUnixSeconds(1_767_225_600_123_456L)).isEqualTo(NEW_YEAR_2026);
    }

    @Test
    void nanosecondsAreConvertedToSeconds() {
        assertThat(Timestamps.toUnixSeconds(1_767_225_600_123_456_789L)).isEqualTo(NEW_YEAR_2026);
    }

    @Test
    void bigIntegerNanosecondsAreConverted() {
        assertThat(Timestamps.toUnixSeconds(new BigInteger("1767225600123456789"))).isEqualTo(NEW_YEAR_2026);
    }

    @Test
    void secondsAfter2100AreRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(99_999_999_999L)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void millisecondsBefore2000AreRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(100_000_000_000L)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fractionalSecondsAreFloored() {
        assertThat(Timestamps.toUnixSeconds(new BigDecimal("1767225600.999"))).isEqualTo(NEW_YEAR_2026);
    }

    @Test
    void doubleMillisecondsAreConverted() {
        assertThat(Timestamps.toUnixSeconds(1.7672256E12)).isEqualTo(NEW_YEAR_2026);
    }

    @Test
    void numericStringSecondsAreRead() {
        assertThat(Timestamps.toUnixSeconds("1767225600")).isEqualTo(NEW_YEAR_2026);
    }

    @Test
    void numericStringMillisecondsAreRead() {
        assertThat(Timestamps.toUnixSeconds("1767225600000")).isEqualTo(NEW_YEAR_2026);
    }

    @Test
    void numericStringWithFractionIsRead() {
        assertThat(Timestamps.toUnixSeconds("1767225600.75")).isEqualTo(NEW_YEAR_2026);
    }

    @Test
    void numericStringIsTrimmed() {
        assertThat(Timestamps.toUnixSeconds("  1767225600 \n")).isEqualTo(NEW_YEAR_2026);
    }

    @Test
    void isoWithSevenFractionDigits() {
        assertThat(Timestamps.toUnixSeconds("2026-01-14T20:36:48.6527521Z")).isEqualTo(JANUARY_14_2026);
    }

    @Test
    void isoWithNineFractionDigits() {
        assertThat(Timestamps.toUnixSeconds("2026-01-14T20:36:48.123456789Z")).isEqualTo(JANUARY_14_2026);
    }

    @Test
    void isoWithoutFraction() {
        assertThat(Timestamps.toUnixSeconds("2026-01-14T20:36:48Z")).isEqualTo(JANUARY_14_2026);
    }

    @Test
    void isoWithoutSeconds() {
        assertThat(Timestamps.toUnixSeconds("2026-01-14T20:36Z")).isEqualTo(JANUARY_14_2026 - 48);
    }

    @Test
    void isoOffsetWithoutColon() {
        assertThat(Timestamps.toUnixSeconds("2026-01-14T21:36:48+0100")).isEqualTo(JANUARY_14_2026);
    }

    @Test
    void isoOffsetWithColon() {
        assertThat(Timestamps.toUnixSeconds("2026-01-14T21:36:48+01:00")).isEqualTo(JANUARY_14_2026);
    }

    @Test
    void isoOffsetHoursOnly() {
        assertThat(Timestamps.toUnixSeconds("2026-01-14T21:36:48+01")).isEqualTo(JANUARY_14_2026);
    }

    @Test
    void isoNegativeOffset() {
        assertThat(Timestamps.toUnixSeconds("2026-01-14T15:36:48-05:00")).isEqualTo(JANUARY_14_2026);
    }

    @Test
    void isoWithSpaceSeparator() {
        assertThat(Timestamps.toUnixSeconds("2026-01-14 20:36:48Z")).isEqualTo(JANUARY_14_2026);
    }

    @Test
    void isoLowerCaseLetters() {
        assertThat(Timestamps.toUnixSeconds("2026-01-14t20:36:48z")).isEqualTo(JANUARY_14_2026);
    }

    @Test
    void isoBefore2000IsRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds("0001-01-01T00:00:00Z"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 2000 and 2100");
    }

    @Test
    void isoFrom2100IsRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds("9999-12-31T23:59:59Z"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 2000 and 2100");
    }

    @Test
    void impossibleDateIsRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds("2025-02-30T10:00:00Z"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2025-02-30");
    }

    @Test
    void leapDayIsRead() {
        assertThat(Timestamps.toUnixSeconds("2024-02-29T00:00:00Z")).isEqualTo(1709164800L);
    }

    @Test
    void isoWithoutOffsetIsRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds("2026-01-14T20:36:48"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2026-01-14T20:36:48");
    }

    @Test
    void dateOnlyIsRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds("2026-01-14"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "yesterday", "abc123", "12:30", "1e9", "0x1F", "2026-13-01T00:00:00Z",
            "2026-01-14T25:00:00Z", "2026-01-14T20:36:48.1234567890Z", "Wed, 14 Jan 2026 20:36:48 GMT"})
    void garbageStringsAreRejected(String text) {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "Infinity", "-Infinity", "null", "undefined"})
    void nanLikeStringsAreRejected(String text) {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void nanDoubleIsRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void infiniteDoubleIsRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zeroIsRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a plausible Unix time");
    }

    @Test
    void zeroStringIsRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds("0"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeSecondsAreRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(-1_767_225_600L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1767225600");
    }

    @Test
    void negativeMillisecondsAreRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(-1_767_225_600_000L))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeStringIsRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds("-1767225600"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fractionBelowOneSecondIsRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(new BigDecimal("0.5")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timesBefore2000AreRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Timestamps.toUnixSeconds(Timestamps.MIN_SECONDS)).isEqualTo(Timestamps.MIN_SECONDS);
    }

    @Test
    void timesFrom2100AreRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(Timestamps.MAX_SECONDS + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Timestamps.toUnixSeconds(Timestamps.MAX_SECONDS)).isEqualTo(Timestamps.MAX_SECONDS);
    }

    @Test
    void nanosecondsBeyondRangeAreRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(new BigInteger("100000000000000000000000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a plausible Unix time");
    }

    @Test
    void trueIsRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(Boolean.TRUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Boolean");
    }

    @Test
    void falseIsRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(Boolean.FALSE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Boolean");
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> Timestamps.toUnixSeconds(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
    }
}
