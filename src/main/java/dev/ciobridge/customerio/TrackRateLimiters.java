package dev.ciobridge.customerio;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

/**
 * One Track API rate limiter per workspace, shared by everything that calls the Track API for it, so that cio-bridge
 * stays under the workspace's limit instead of causing the 429s it would then have to absorb. After a 429 the
 * workspace is also paused until Customer.io's {@code Retry-After} has passed.
 */
public final class TrackRateLimiters {

    private final RateLimiterConfig config;
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<String, Long> pausedUntil = new ConcurrentHashMap<>();

    public TrackRateLimiters(int requestsPerSecond) {
        if (requestsPerSecond < 1) {
            throw new IllegalArgumentException("customerio.track.requests-per-second must be at least 1, got " + requestsPerSecond);
        }
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(requestsPerSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ofMinutes(5))
                .build();
    }

    /** Blocks until the workspace may send one more request (a pause after a 429 included). */
    public void acquire(String workspaceKey) throws InterruptedException {
        long until = pausedUntil.getOrDefault(workspaceKey, 0L);
        long wait = until - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        limiter(workspaceKey).acquirePermission();
    }

    /** Milliseconds until the workspace's pause after a 429 ends, or 0. */
    public long pauseRemainingMillis(String workspaceKey) {
        return Math.max(0, pausedUntil.getOrDefault(workspaceKey, 0L) - System.currentTimeMillis());
    }

    public void pause(String workspaceKey, Duration duration) {
        long until = System.currentTimeMillis() + duration.toMillis();
        pausedUntil.merge(workspaceKey, until, Math::max);
    }

    public void forget(String workspaceKey) {
        limiters.remove(workspaceKey);
        pausedUntil.remove(workspaceKey);
    }

    private RateLimiter limiter(String workspaceKey) {
        return limiters.computeIfAbsent(workspaceKey, key -> RateLimiter.of("track-" + key, config));
    }
}
