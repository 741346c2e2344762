package dev.ciobridge.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LongSummaryStatistics;
import java.util.function.LongSupplier;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final int SAMPLES = 2_000;

    private final RetryPolicy policy = new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(60),
            Duration.ofSeconds(2));

    private static LongSummaryStatistics sample(LongSupplier delay) {
        return LongStream.generate(delay).limit(SAMPLES).summaryStatistics();
    }

    @Test
    void firstBackoffAtLeastHalfInitial() {
        assertThat(sample(() -> policy.backoffMillis(1)).getMin()).isGreaterThanOrEqualTo(500);
    }

    @Test
    void firstBackoffAtMostInitial() {
        assertThat(sample(() -> policy.backoffMillis(1)).getMax()).isLessThanOrEqualTo(1_000);
    }

    @Test
    void thirdBackoffWindowIsFourTimesInitial() {
        LongSummaryStatistics third = sample(() -> policy.backoffMillis(3));

        assertThat(third.getMin()).isGreaterThanOrEqualTo(2_000);
        assertThat(third.getMax()).isLessThanOrEqualTo(4_000);
    }

    @Test
    void backoffWindowDoublesEachFailure() {
        for (int failures = 1; failures <= 6; failures++) {
            long window = 1_000L << (failures - 1);
            int attempt = failures;
            LongSummaryStatistics stats = sample(() -> policy.backoffMillis(attempt));

            assertThat(stats.getMin()).as("min after %d failures", failures).isGreaterThanOrEqualTo(window / 2);
            assertThat(stats.getMax()).as("max after %d failures", failures).isLessThanOrEqualTo(window);
        }
    }

    @Test
    void backoffGrowsWithFailures() {
        // Windows [500, 1000] and [16000, 32000] do not overlap, so every sample of the later one is larger.
        assertThat(sample(() -> policy.backoffMillis(6)).getMin())
                .isGreaterThan(sample(() -> policy.backoffMillis(1)).getMax());
    }

    @Test
    void backoffIsCappedAtMax() {
        assertThat(sample(() -> policy.backoffMillis(7)).getMax()).isLessThanOrEqualTo(60_000);
    }

    @Test
    void cappedBackoffStaysInUpperHalf() {
        assertThat(sample(() -> policy.backoffMillis(7)).getMin()).isGreaterThanOrEqualTo(30_000);
    }

    @Test
    void manyFailuresStayCapped() {
        LongSummaryStatistics stats = sample(() -> policy.backoffMillis(1_000));

        assertThat(stats.getMin()).isGreaterThanOrEqualTo(30_000);
        assertThat(stats.getMax()).isLessThanOrEqualTo(60_000);
    }

    @Test
    void shiftOverflowStaysCapped() {
        RetryPolicy huge = new RetryPolicy(8, Duration.ofDays(365 * 100), Duration.ofDays(1), Duration.ofSeconds(1));

        assertThat(sample(() -> huge.backoffMillis(31)).getMax()).isLessThanOrEqualTo(Duration.ofDays(1).toMillis());
    }

    @Test
    void zeroFailuresUseInitialWindow() {
        LongSummaryStatistics stats = sample(() -> policy.backoffMillis(0));

        assertThat(stats.getMin()).isGreaterThanOrEqualTo(500);
        assertThat(stats.getMax()).isLessThanOrEqualTo(1_000);
    }

    @Test
    void jitterSpreadsDelays() {
        assertThat(sample(() -> policy.backoffMillis(3)).getMax())
                .isGreaterThan(sample(() -> policy.backoffMillis(3)).getMin());
    }

    @Test
    void jitterReachesBothEnds() {
        RetryPolicy tiny = new RetryPolicy(8, Duration.ofMillis(4), Duration.ofSeconds(60), Duration.ofSeconds(2));
        LongSummaryStatistics stats = sample(() -> tiny.backoffMillis(1));

        assertThat(stats.getMin()).isEqualTo(2);
        assertThat(stats.getMax()).isEqualTo(4);
    }

    @Test
    void initialAboveMaxIsCapped() {
        RetryPolicy inverted = new RetryPolicy(8, Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofSeconds(2));

        assertThat(sample(() -> inverted.backoffMillis(1)).getMax()).isLessThanOrEqualTo(60_000);
    }

    @Test
    void zeroWindowGivesZeroDelay() {
        RetryPolicy none = new RetryPolicy(8, Duration.ZERO, Duration.ZERO, Duration.ZERO);

        assertThat(none.backoffMillis(3)).isZero();
    }

    @Test
    void rateLimitedStartsFromDefault() {
        LongSummaryStatistics stats = sample(() -> policy.rateLimitedMillis(1));

        assertThat(stats.getMin()).isGreaterThanOrEqualTo(1_000);
        assertThat(stats.getMax()).isLessThanOrEqualTo(2_000);
    }

    @Test
    void rateLimitedGrowsWithRepeats() {
        LongSummaryStatistics stats = sample(() -> policy.rateLimitedMillis(4));

        assertThat(stats.getMin()).isGreaterThanOrEqualTo(8_000);
        assertThat(stats.getMax()).isLessThanOrEqualTo(16_000);
    }

    @Test
    void rateLimitedIsCappedAtMax() {
        LongSummaryStatistics stats = sample(() -> policy.rateLimitedMillis(20));

        assertThat(stats.getMin()).isGreaterThanOrEqualTo(30_000);
        assertThat(stats.getMax()).isLessThanOrEqualTo(60_000);
    }
}
