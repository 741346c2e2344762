package dev.ciobridge.customerio;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One rate limiter per workspace and API surface, shared by every route and caller that reaches that surface for the
 * workspace. Requests start at evenly spaced times (a little over {@code 1 / rate} apart), so that no window of one
 * second, however Customer.io aligns it, contains more than the limit as they are sent: callers wait for their slot
 * instead of causing a 429. Delays between sending and arrival that vary by more than the margin can still bunch
 * requests at Customer.io; {@link WorkspaceApi} absorbs the rare 429 that follows. Interactive callers wait in a bounded queue; when it is full, or their wait would exceed the longest allowed
 * wait, they are turned away with the time after which to retry. Background work (deliveries, syncs) waits as long as
 * it takes. After a 429 from Customer.io the lane is paused until its {@code Retry-After} has passed.
 */
public final class ApiRateLimits {

    /**
     * Default spacing added on top of {@code 1 / rate}. Requests sent exactly {@code 1 / rate} apart can still arrive
     * as {@code rate + 1} within one of Customer.io's one-second windows when delays vary between sending and
     * arrival; a margin of two percent absorbs 20 ms of such variation.
     */
    public static final double DEFAULT_SPACING_MARGIN = 0.02;

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final Map<ApiSurface, Integer> rates;
    private final double spacingMargin;
    private final int maxQueue;
    private final long maxWaitNanos;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    /** Thrown when an interactive caller cannot be queued; the caller should try again after the given time. */
    public static final class QueueFullException extends Exception {
        private final long retryAfterSeconds;
        private final RateLimitStatus status;

        QueueFullException(long retryAfterSeconds, RateLimitStatus status) {
            super("rate limit queue full; retry after " + retryAfterSeconds + " s", null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
            this.status = status;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }

        public RateLimitStatus status() {
            return status;
        }
    }

    /**
     * @param rates requests per second for each surface
     * @param maxQueue interactive callers allowed to wait at once per workspace and surface
     * @param maxWait longest an interactive caller is made to wait for its slot
     */
    public ApiRateLimits(Map<ApiSurface, Integer> rates, int maxQueue, Duration maxWait) {
        this(rates, DEFAULT_SPACING_MARGIN, maxQueue, maxWait);
    }

    /**
     * @param spacingMargin share of {@code 1 / rate} added between two requests, from 0 to 1
     */
    public ApiRateLimits(Map<ApiSurface, Integer> rates, double spacingMargin, int maxQueue, Duration maxWait) {
        if (!(spacingMargin >= 0 && spacingMargin <= 1)) {
            throw new IllegalArgumentException("customerio.rate-limit.spacing-margin must be between 0 and 1, got " + spacingMargin);
        }
        this.spacingMargin = spacingMargin;
        this.rates = new EnumMap<>(ApiSurface.class);
        for (ApiSurface surface : ApiSurface.values()) {
            Integer rate = rates.get(surface);
            if (rate == null || rate < 1) {
                throw new IllegalArgumentException("customerio." + surface.code()
                        + ".requests-per-second must be at least 1, got " + rate);
            }
            this.rates.put(surface, rate);
        }
        if (maxQueue < 0) {
            throw new IllegalArgumentException("customerio.rate-limit.max-queue must not be negative, got " + maxQueue);
        }
        this.maxQueue = maxQueue;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /** Waits for the caller's slot, however long; for background work. */
    public RateLimitStatus acquire(String workspace, ApiSurface surface) throws InterruptedException {
        try {
            return acquire(workspace, surface, false);
        } catch (QueueFullException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Waits for the caller's slot in the bounded queue, or refuses at once when the queue is full. */
    public RateLimitStatus acquireInteractive(String workspace, ApiSurface surface)
            throws InterruptedException, QueueFullException {
        return acquire(workspace, surface, true);
    }

    private RateLimitStatus acquire(String workspace, ApiSurface surface, boolean bounded)
            throws InterruptedException, QueueFullException {
        Lane lane = lane(workspace, surface);
        long slot;
        RateLimitStatus status;
        synchronized (lane) {
            long now = System.nanoTime();
            slot = Math.max(now, Math.max(lane.nextSlot, lane.pausedUntil));
            long wait = slot - now;
            if (bounded && wait > 0 && (lane.waiting >= maxQueue || wait > maxWaitNanos)) {
                // By then every request already queued has started, so the retry does not meet a full queue again.
                throw new QueueFullException(Math.max(1, ceilSeconds(wait)), lane.status(now));
            }
            lane.nextSlot = slot + lane.interval;
            if (wait > 0) {
                lane.waiting++;
            }
            status = lane.status(now);
        }
        if (slot > System.nanoTime()) {
            try {
                long remaining;
                while ((remaining = slot - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(remaining);
                    if (Thread.interrupted()) {
                        throw new InterruptedException("interrupted while waiting for the " + surface.code() + " rate limit");
                    }
                }
            } finally {
                synchronized (lane) {
                    lane.waiting--;
                }
            }
        }
        return status;
    }

    /** Stops the workspace's requests to the surface until {@code duration} has passed (after a 429). */
    public void pause(String workspace, ApiSurface surface, Duration duration) {
        Lane lane = lane(workspace, surface);
        synchronized (lane) {
            lane.pausedUntil = Math.max(lane.pausedUntil, System.nanoTime() + duration.toNanos());
        }
    }

    /** Milliseconds until the workspace's pause on the surface ends, or 0 when it is not paused. */
    public long pauseRemainingMillis(String workspace, ApiSurface surface) {
        Lane lane = lanes.get(key(workspace, surface));
        if (lane == null) {
            return 0;
        }
        synchronized (lane) {
            return Math.max(0, TimeUnit.NANOSECONDS.toMillis(lane.pausedUntil - System.nanoTime()));
        }
    }

    /** Returns the current state of the limit, without taking a slot. */
    public RateLimitStatus status(String workspace, ApiSurface surface) {
        Lane lane = lane(workspace, surface);
        synchronized (lane) {
            return lane.status(System.nanoTime());
        }
    }

    public int rate(ApiSurface surface) {
        return rates.get(surface);
    }

    /** Drops every lane of a workspace (its account was deleted). */
    public void forget(String workspace) {
        for (ApiSurface surface : ApiSurface.values()) {
            lanes.remove(key(workspace, surface));
        }
    }

    private Lane lane(String workspace, ApiSurface surface) {
        return lanes.computeIfAbsent(key(workspace, surface), key -> new Lane(rates.get(surface), spacingMargin));
    }

    private static String key(String workspace, ApiSurface surface) {
        return workspace + '\u0000' + surface.code();
    }

    private static long ceilSeconds(long nanos) {
        return (nanos + SECOND - 1) / SECOND;
    }

    private static final class Lane {
        final int rate;
        final long interval;
        long nextSlot;
        long pausedUntil;
        int waiting;

        Lane(int rate, double spacingMargin) {
            this.rate = rate;
            this.interval = (long) Math.ceil(SECOND * (1 + spacingMargin) / rate);
            long now = System.nanoTime();
            this.nextSlot = now;
            this.pausedUntil = now;
        }

        RateLimitStatus status(long now) {
            long next = Math.max(now, Math.max(nextSlot, pausedUntil));
            long free = next - now >= SECOND ? 0 : (now + SECOND - next + interval - 1) / interval;
            int remaining = (int) Math.max(0, Math.min(rate, free));
            return new RateLimitStatus(rate, remaining, ceilSeconds(next - now));
        }
    }
}
