package dev.ciobridge.sync;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.accounts.IntegratedAccount;
import dev.ciobridge.customerio.ApiSurface;
import dev.ciobridge.customerio.CustomerIoErrors;
import dev.ciobridge.customerio.CustomerIoResponse;
import dev.ciobridge.customerio.RetryAfter;
import dev.ciobridge.customerio.WorkspaceApi;

/**
 * Customer.io calls of a sync run, made as background work through {@link WorkspaceApi}, so they share each
 * workspace's rate limit with every other caller. A 429 is waited out ({@code Retry-After}, or exponential backoff
 * without it) and sent again for as long as it takes, so no row is lost to rate limiting. 408, 5xx and I/O errors are
 * retried with backoff up to a number of attempts. Other responses are returned to the caller.
 */
final class SyncCalls {

    /** The call could not be completed: out of attempts, or the run is stopping. */
    static final class CallFailed extends Exception {
        CallFailed(String message) {
            super(message);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SyncCalls.class);

    private final WorkspaceApi api;
    private final int maxAttempts;
    private final long backoffInitialMillis;
    private final long backoffMaxMillis;

    SyncCalls(WorkspaceApi api, int maxAttempts, Duration backoffInitial, Duration backoffMax) {
        this.api = api;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.backoffInitialMillis = Math.max(1, backoffInitial.toMillis());
        this.backoffMaxMillis = Math.max(backoffInitialMillis, backoffMax.toMillis());
    }

    /**
     * Sends one request until Customer.io responds with a status other than 429, 408 or 5xx.
     *
     * @param run counts each request it sends in {@code apiCalls}
     * @param stopping checked between attempts; when true the call gives up with {@link CallFailed}
     */
    CustomerIoResponse send(IntegratedAccount account, ApiSurface surface, String method, String pathAndQuery, byte[] body,
                            SyncRun run, BooleanSupplier stopping) throws CallFailed, InterruptedException {
        int failures = 0;
        int rateLimited = 0;
        while (true) {
            if (stopping.getAsBoolean()) {
                throw new CallFailed("the run stopped before Customer.io confirmed this request");
            }
            String reason;
            try {
                run.apiCalls.incrementAndGet();
                CustomerIoResponse response = api.callBackground(account, surface, method, pathAndQuery, body).response();
                if (response.status() == 429) {
                    rateLimited++;
                    long wait = RetryAfter.millis(response.headers()).orElse(backoff(rateLimited));
                    api.limits().pause(account.id(), surface, Duration.ofMillis(wait));
                    LOG.warn("Sync {} run {}: Customer.io still answers 429 for account {}; waiting {} ms and sending again",
                            run.definition.syncId(), run.id, account.id(), wait);
                    sleep(wait, stopping);
                    continue;
                }
                if (response.status() != 408 && response.status() < 500) {
                    return response;
                }
                reason = CustomerIoErrors.describe(response.status(), response.body());
            } catch (IOException e) {
                reason = "I/O error calling Customer.io: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage());
            }
            failures++;
            if (failures >= maxAttempts) {
                throw new CallFailed("gave up after " + failures + " attempts; last error: " + reason);
            }
            long wait = backoff(failures);
            LOG.warn("Sync {} run {}: {} {} failed ({}); attempt {} of {} in {} ms", run.definition.syncId(), run.id, method,
                    pathOnly(pathAndQuery), reason, failures + 1, maxAttempts, wait);
            sleep(wait, stopping);
        }
    }

    private long backoff(int attempt) {
        return Math.min(backoffMaxMillis, backoffInitialMillis << Math.min(20, attempt - 1));
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

    private static String pathOnly(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }
}
