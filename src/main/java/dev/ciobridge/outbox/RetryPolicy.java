package dev.ciobridge.outbox;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between delivery attempts: exponential from the initial delay, capped, with jitter (a random point in the
 * upper half of the window) so that operations failed together are not retried together.
 */
public record RetryPolicy(int maxAttempts, Duration initial, Duration max, Duration rateLimitedDefault) {

    /** Returns the delay before the next attempt after {@code failedAttempts} failures (1 after the first failure). */
    public long backoffMillis(int failedAttempts) {
        return jitter(exponential(initial.toMillis(), failedAttempts));
    }

    /** Returns the wait after a 429 without {@code Retry-After}, exponential in the number of 429s in a row. */
    public long rateLimitedMillis(int consecutiveRateLimits) {
        return jitter(exponential(rateLimitedDefault.toMillis(), consecutiveRateLimits));
    }

    private long exponential(long base, int failures) {
        int shift = Math.min(30, Math.max(0, failures - 1));
        long window = base << shift;
        return window <= 0 || window > max.toMillis() ? max.toMillis() : window;
    }

    private static long jitter(long window) {
        long half = window / 2;
        return half + ThreadLocalRandom.current().nextLong(window - half + 1);
    }
}
