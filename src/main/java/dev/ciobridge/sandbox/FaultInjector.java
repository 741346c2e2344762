package dev.ciobridge.sandbox;

import java.util.concurrent.ThreadLocalRandom;

/** Applies a workspace's {@link FaultSettings} to a request before its handler runs. */
final class FaultInjector {

    private FaultInjector() {
    }

    /** Runs {@code handler} unless a fault responds to or drops the request first; latency delays it on a timer. */
    static void apply(SimExchange exchange, Runnable handler) {
        FaultSettings faults = exchange.workspace.faults();
        if (faults.isNone() || !faults.surfaces().contains(exchange.surface)) {
            handler.run();
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (faults.dropRate() > 0 && random.nextDouble() < faults.dropRate()) {
            exchange.drop();
            return;
        }
        Runnable decide = () -> {
            if (faults.serverErrorRate() > 0 && random.nextDouble() < faults.serverErrorRate()) {
                exchange.replyError(serverError(exchange.surface, faults.serverErrorStatus()));
            } else if (faults.rateLimitRate() > 0 && random.nextDouble() < faults.rateLimitRate()) {
                exchange.replyError(rateLimited(exchange.surface).withRetryAfter(faults.retryAfterSeconds()));
            } else {
                handler.run();
            }
        };
        if (faults.latencyMillis() > 0) {
            // A timer keeps the event loop free while the request waits.
            exchange.vertx.setTimer(faults.latencyMillis(), timer -> decide.run());
        } else {
            decide.run();
        }
    }

    private static ApiError serverError(Surface surface, int status) {
        String message = "injected fault: service unavailable (sandbox)";
        return surface == Surface.APP ? ApiError.app(status, message) : ApiError.trackV1(status, message);
    }

    static ApiError rateLimited(Surface surface) {
        String message = "rate limited (injected fault, sandbox)";
        return surface == Surface.APP ? ApiError.app(429, message) : ApiError.trackV1(429, message);
    }
}
