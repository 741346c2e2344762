package dev.ciobridge.customerio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;

import dev.ciobridge.accounts.IntegratedAccount;
import dev.ciobridge.api.ApiException;

/**
 * Calls Customer.io on behalf of one connected workspace: takes a slot from the workspace's rate limiter for the API
 * surface, adds the account's credentials for that surface, sends, and absorbs Customer.io's 429s by waiting for
 * {@code Retry-After} (or backing off) and sending again, so callers see a slower answer rather than a 429.
 */
public final class WorkspaceApi {

    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceApi.class);

    private final CustomerIoClient client;
    private final ApiRateLimits limits;
    private final MeterRegistry meters;
    private final int maxRateLimitedRetries;
    private final Duration maxRateLimitedWait;

    /**
     * @param maxRateLimitedRetries how many times a request answered 429 is sent again before the 429 is given up on
     * @param maxRateLimitedWait longest single wait after a 429 for an interactive caller; a longer {@code Retry-After}
     *        ends the retries at once
     */
    public WorkspaceApi(CustomerIoClient client, ApiRateLimits limits, MeterRegistry meters, int maxRateLimitedRetries,
                        Duration maxRateLimitedWait) {
        this.client = client;
        this.limits = limits;
        this.meters = meters;
        this.maxRateLimitedRetries = maxRateLimitedRetries;
        this.maxRateLimitedWait = maxRateLimitedWait;
    }

    /**
     * Sends one request for an interactive caller. It waits in the workspace's bounded queue; when the queue is full
     * it throws an {@link ApiException} 429 with {@code Retry-After} and the {@code ratelimit-*} headers.
     *
     * @param pathAndQuery absolute path on the surface's host with its query string, every segment already
     *        percent-encoded (see {@link PathSegments})
     * @param jsonBody request body sent as {@code application/json}, or null
     */
    public WorkspaceResponse call(IntegratedAccount account, ApiSurface surface, String method, String pathAndQuery,
                                  byte[] jsonBody) throws IOException, InterruptedException {
        return send(account, surface, method, pathAndQuery, jsonBody, null, true);
    }

    /** Like {@link #call}, with further request headers (such as a caller's {@code Content-Type}). */
    public WorkspaceResponse call(IntegratedAccount account, ApiSurface surface, String method, String pathAndQuery,
                                  byte[] body, Map<String, String> headers) throws IOException, InterruptedException {
        return send(account, surface, method, pathAndQuery, body, headers, true);
    }

    /** Sends one request for background work (syncs, deliveries): it waits for its slot however long that takes. */
    public WorkspaceResponse callBackground(IntegratedAccount account, ApiSurface surface, String method,
                                            String pathAndQuery, byte[] jsonBody) throws IOException, InterruptedException {
        return send(account, surface, method, pathAndQuery, jsonBody, null, false);
    }

    public ApiRateLimits limits() {
        return limits;
    }

    private WorkspaceResponse send(IntegratedAccount account, ApiSurface surface, String method, String pathAndQuery,
                                   byte[] body, Map<String, String> headers, boolean interactive)
            throws IOException, InterruptedException {
        String authorization = authorization(account, surface);
        int rateLimited = 0;
        while (true) {
            RateLimitStatus status = acquire(account.id(), surface, interactive);
            CustomerIoResponse response = client.send(account.region(), surface.host(), authorization, method,
                    pathAndQuery, body, headers);
            meters.counter("cio_bridge_customerio_requests", "surface", surface.code(),
                    "status", Integer.toString(response.status())).increment();
            if (response.status() != 429) {
                return new WorkspaceResponse(response, status);
            }
            long wait = RetryAfter.millis(response.headers())
                    .orElse(Math.min(30_000L, 1_000L << Math.min(rateLimited, 5)));
            if (rateLimited >= maxRateLimitedRetries || (interactive && wait > maxRateLimitedWait.toMillis())) {
                LOG.warn("Customer.io still answers 429 on the {} API of account {} after {} retries; giving up on {} {}",
                        surface.code(), account.id(), rateLimited, method, pathOnly(pathAndQuery));
                return new WorkspaceResponse(response, status);
            }
            rateLimited++;
            LOG.info("Customer.io answered 429 on the {} API of account {}; pausing that workspace's {} requests for {} ms",
                    surface.code(), account.id(), surface.code(), wait);
            limits.pause(account.id(), surface, Duration.ofMillis(wait));
        }
    }

    private RateLimitStatus acquire(String workspace, ApiSurface surface, boolean interactive) throws InterruptedException {
        if (!interactive) {
            return limits.acquire(workspace, surface);
        }
        try {
            return limits.acquireInteractive(workspace, surface);
        } catch (ApiRateLimits.QueueFullException full) {
            meters.counter("cio_bridge_rate_limit_rejections", "surface", surface.code()).increment();
            RateLimitStatus status = full.status();
            ApiException error = new ApiException(429, "Too many requests are waiting for this workspace's "
                    + surface.code() + " API limit of " + status.limit() + " per second; retry after "
                    + full.retryAfterSeconds() + " s")
                    .withHeader("Retry-After", Long.toString(full.retryAfterSeconds()));
            status.headers().forEach(error::withHeader);
            throw error;
        }
    }

    /** Builds the {@code Authorization} header for the surface, from the account's stored credentials. */
    static String authorization(IntegratedAccount account, ApiSurface surface) {
        return switch (surface) {
            case TRACK -> account.trackCredentials().authorizationHeader();
            case APP, TRANSACTIONAL -> {
                String key = account.appApiKey();
                if (key == null || key.isEmpty()) {
                    throw new ApiException(422, "Integrated account " + account.id()
                            + " has no app_api_key; the App API needs one");
                }
                yield "Bearer " + key;
            }
            case PIPELINES -> {
                String key = account.pipelinesApiKey();
                if (key == null || key.isEmpty()) {
                    throw new ApiException(422, "Integrated account " + account.id()
                            + " has no pipelines_api_key; the Pipelines API needs one");
                }
                yield "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private static String pathOnly(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }
}
