package dev.ciobridge.sandbox;

import java.util.Set;

/**
 * Faults a workspace injects into its responses, to test how a client copes. Each rate is a share between 0 and 1 of
 * the requests of the affected surfaces; a request draws drop first, then 5xx, then 429, and the latency applies to
 * every request that gets a response.
 *
 * @param latencyMillis delay added before each answer
 * @param serverErrorRate share of requests answered with {@code serverErrorStatus}
 * @param serverErrorStatus the 5xx status to answer with
 * @param rateLimitRate share of requests answered with 429
 * @param retryAfterSeconds value of the Retry-After header on injected 429s, or null to send none
 * @param dropRate share of requests whose connection is closed without an answer
 * @param surfaces surfaces the faults apply to
 */
public record FaultSettings(long latencyMillis, double serverErrorRate, int serverErrorStatus, double rateLimitRate,
        Integer retryAfterSeconds, double dropRate, Set<Surface> surfaces) {

    private static final Set<Surface> ALL_SURFACES = Set.of(Surface.TRACK, Surface.APP, Surface.PIPELINES);

    /** No faults: the default of every workspace. */
    public static final FaultSettings NONE =
            new FaultSettings(0, 0, 503, 0, null, 0, ALL_SURFACES);

    public FaultSettings {
        checkRate("serverErrorRate", serverErrorRate);
        checkRate("rateLimitRate", rateLimitRate);
        checkRate("dropRate", dropRate);
        if (latencyMillis < 0 || latencyMillis > 60_000) {
            throw new IllegalArgumentException("latencyMillis must be between 0 and 60000, was " + latencyMillis);
        }
        if (serverErrorStatus < 500 || serverErrorStatus > 599) {
            throw new IllegalArgumentException("serverErrorStatus must be a 5xx status, was " + serverErrorStatus);
        }
        if (retryAfterSeconds != null && retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must not be negative");
        }
        surfaces = surfaces == null || surfaces.isEmpty() ? ALL_SURFACES : Set.copyOf(surfaces);
    }

    public FaultSettings withLatency(long millis) {
        return new FaultSettings(millis, serverErrorRate, serverErrorStatus, rateLimitRate, retryAfterSeconds, dropRate, surfaces);
    }

    public FaultSettings withServerErrors(double rate, int status) {
        return new FaultSettings(latencyMillis, rate, status, rateLimitRate, retryAfterSeconds, dropRate, surfaces);
    }

    /** Responds to a share of requests with 429, with a Retry-After of the given seconds, or none when null. */
    public FaultSettings withRateLimitStorm(double rate, Integer retryAfter) {
        return new FaultSettings(latencyMillis, serverErrorRate, serverErrorStatus, rate, retryAfter, dropRate, surfaces);
    }

    public FaultSettings withDroppedConnections(double rate) {
        return new FaultSettings(latencyMillis, serverErrorRate, serverErrorStatus, rateLimitRate, retryAfterSeconds, rate, surfaces);
    }

    public FaultSettings onlyOn(Set<Surface> newSurfaces) {
        return new FaultSettings(latencyMillis, serverErrorRate, serverErrorStatus, rateLimitRate, retryAfterSeconds,
                dropRate, newSurfaces);
    }

    boolean isNone() {
        return latencyMillis == 0 && serverErrorRate == 0 && rateLimitRate == 0 && dropRate == 0;
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, was " + rate);
        }
    }
}
