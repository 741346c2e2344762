package dev.ciobridge.sync;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.accounts.IntegratedAccount;
import dev.ciobridge.customerio.CustomerIoClient;
import dev.ciobridge.customerio.CustomerIoErrors;
import dev.ciobridge.customerio.RetryAfter;
import dev.ciobridge.customerio.TrackRateLimiters;
import dev.ciobridge.customerio.TrackResponse;

/**
 * Track API calls of a sync run, within the workspace's rate limit (shared with webhook delivery). A 429 pauses the
 * workspace for {@code Retry-After}, or backs off exponentially without it, and is retried for as long as it takes;
 * 408, 5xx and I/O errors are retried with backoff up to a number of attempts. Other answers are returned.
 */
final class TrackCalls {

    /** The call could not be completed: out of attempts, or the run is stopping. */
    static final class CallFailed extends Exception {
        CallFailed(String message) {
            super(message);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(TrackCalls.class);

    private final CustomerIoClient client;
    private final TrackRateLimiters rateLimiters;
    private final int maxAttempts;
    private final long backoffInitialMillis;
    private final long backoffMaxMillis;

    TrackCalls(CustomerIoClient client, TrackRateLimiters rateLimiters, int maxAttempts, Duration backoffInitial, Duration backoffMax) {
        this.client = client;
        this.rateLimiters = rateLimiters;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.backoffInitialMillis = Math.max(1, backoffInitial.toMillis());
        this.backoffMaxMillis = Math.max(backoffInitialMillis, backoffMax.toMillis());
    }

    /**
     * Sends one request until Customer.io answers something other than 429, 408 or 5xx.
     *
     * @param run counts each request sent in its {@code apiCalls}
     * @param stopping checked between attempts; when true the call gives up with {@link CallFailed}
     */
    TrackResponse send(IntegratedAccount account, String method, String path, byte[] body, SyncRun run, BooleanSupplier stopping)
            throws CallFailed, InterruptedException {
        int failures = 0;
        int rateLimited = 0;
        while (true) {
            if (stopping.getAsBoolean()) {
                throw new CallFailed("the run stopped before Customer.io confirmed this request");
            }
            rateLimiters.acquire(account.id());
            String reason;
            try {
                run.apiCalls.incrementAndGet();
                TrackResponse response = client.track(account.region(), account.trackCredentials(), method, path, body);
                if (response.status() == 429) {
                    rateLimited++;
                    long wait = RetryAfter.millis(response.headers()).orElse(backoff(rateLimited));
                    rateLimiters.pause(account.id(), Duration.ofMillis(wait));
                    LOG.warn("Sync {} run {}: Track API rate-limited account {}; waiting {} ms", run.definition.syncId(), run.id,
                            account.id(), wait);
                    sleep(wait, stopping);
                    continue;
                }
                if (response.status() != 408 && response.status() < 500) {
                    return response;
                }
                reason = CustomerIoErrors.describe(response.status(), response.body());
            } catch (IOException e) {
                reason = "I/O error calling Customer.io: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
            }
            failures++;
            if (failures >= maxAttempts) {
                throw new CallFailed("gave up after " + failures + " attempts; last error: " + reason);
            }
            long wait = backoff(failures);
            LOG.warn("Sync {} run {}: {} {} failed ({}); attempt {} of {} in {} ms", run.definition.syncId(), run.id, method, path,
                    reason, failures + 1, maxAttempts, wait);
            sleep(wait, stopping);
        }
    }

    private long backoff(int attempt) {
        long wait = backoffInitialMillis << Math.min(20, attempt - 1);
        return Math.min(backoffMaxMillis, wait);
    }

    /** Sleeps in short steps, so that a stopping service does not wait out a long Retry-After. */
    private static void sleep(long millis, BooleanSupplier stopping) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (!stopping.getAsBoolean()) {
            long left = until - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(left, 100));
        }
    }
}
