package dev.ciobridge.customerio;

import java.time.Duration;

/**
 * The Track API lanes of {@link ApiRateLimits}, as the delivery path uses them: every Track request of a workspace,
 * from webhook deliveries, syncs or the unified API, takes its slot from the same lane. After a 429 the workspace is
 * paused until Customer.io's {@code Retry-After} has passed.
 */
public final class TrackRateLimiters {

    private final ApiRateLimits limits;

    public TrackRateLimiters(ApiRateLimits limits) {
        this.limits = limits;
    }

    /** Blocks until the workspace may send one more request (a pause after a 429 included). */
    public void acquire(String workspaceKey) throws InterruptedException {
        limits.acquire(workspaceKey, ApiSurface.TRACK);
    }

    /** Milliseconds until the workspace's pause after a 429 ends, or 0. */
    public long pauseRemainingMillis(String workspaceKey) {
        return limits.pauseRemainingMillis(workspaceKey, ApiSurface.TRACK);
    }

    public void pause(String workspaceKey, Duration duration) {
        limits.pause(workspaceKey, ApiSurface.TRACK, duration);
    }

    public void forget(String workspaceKey) {
        limits.forget(workspaceKey);
    }
}
