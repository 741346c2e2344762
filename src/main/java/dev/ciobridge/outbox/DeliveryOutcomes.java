package dev.ciobridge.outbox;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.customerio.TrackBatchErrors;
import dev.ciobridge.customerio.TrackRateLimiters;
import dev.ciobridge.customerio.TrackResponse;

/**
 * The handling of a {@link DeliveryBatch}'s operations once the Track API has responded: called by the
 * {@code track-delivery} route on success and by its route configuration on each kind of failure.
 */
public final class DeliveryOutcomes {

    /** Exchange property set when the account's remaining batches must wait for a later pass. */
    public static final String HOLD_ACCOUNT = "cioHoldAccount";
    /** Exchange property set when a rejected batch must be resent one operation at a time to find the bad one. */
    public static final String SPLIT_BATCH = "cioSplitBatch";

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryOutcomes.class);

    private final OutboxStore store;
    private final RetryPolicy policy;
    private final TrackRateLimiters rateLimiters;
    private final DeliveryMetrics metrics;
    private final Map<String, Integer> consecutiveRateLimits = new ConcurrentHashMap<>();

    public DeliveryOutcomes(OutboxStore store, RetryPolicy policy, TrackRateLimiters rateLimiters, DeliveryMetrics metrics) {
        this.store = store;
        this.policy = policy;
        this.rateLimiters = rateLimiters;
        this.metrics = metrics;
    }

    /** 2xx: all accepted, except on a 207, where the items it lists by {@code batch_index} become dead letters. */
    public void delivered(Exchange exchange) throws SQLException {
        DeliveryBatch batch = batch(exchange);
        TrackResponse response = exchange.getMessage().getBody(TrackResponse.class);
        consecutiveRateLimits.remove(batch.account().id());
        Map<OutboxRow, String> rejected = response.status() == 207 ? partialFailures(batch, response) : Map.of();
        List<OutboxRow> accepted = new ArrayList<>(batch.rows());
        accepted.removeAll(rejected.keySet());
        if (!rejected.isEmpty()) {
            store.deadLetter(rejected, 207, 1);
            metrics.deadLettered(rejected.size());
            rejected.forEach((row, reason) -> LOG.warn("Dead letter: account {} event {} ({}) rejected in a 207: {}",
                    row.accountId(), row.sourceEventId(), row.source(), reason));
        }
        store.delete(accepted);
        metrics.delivered(accepted.size());
    }

    /** 429: wait for {@code Retry-After}, or back off exponentially when it is absent. The attempt is not counted. */
    public void rateLimited(Exchange exchange) throws SQLException {
        DeliveryBatch batch = batch(exchange);
        DeliveryException.RateLimited error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, DeliveryException.RateLimited.class);
        String accountId = batch.account().id();
        int inARow = consecutiveRateLimits.merge(accountId, 1, Integer::sum);
        long wait = error.retryAfterMillis() != null ? error.retryAfterMillis() : policy.rateLimitedMillis(inARow);
        rateLimiters.pause(accountId, java.time.Duration.ofMillis(wait));
        store.reschedule(batch.rows(), System.currentTimeMillis() + wait, false, error.getMessage());
        metrics.retried(batch.rows().size());
        exchange.setProperty(HOLD_ACCOUNT, true);
        LOG.warn("Track API rate-limited account {} ({} operations); waiting {} ms ({})", accountId, batch.rows().size(),
                wait, error.retryAfterMillis() != null ? "Retry-After" : "backoff, no Retry-After");
    }

    /** 408, 5xx or an I/O error: back off and retry, and dead-letter operations whose attempts are spent. */
    public void retryLater(Exchange exchange) throws SQLException {
        DeliveryBatch batch = batch(exchange);
        Exception error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = error instanceof DeliveryException ? error.getMessage()
                : "I/O error calling Customer.io: " + error.getClass().getSimpleName()
                        + (error.getMessage() == null ? "" : " " + error.getMessage());
        Integer status = error instanceof DeliveryException delivery ? delivery.status() : null;
        List<OutboxRow> again = new ArrayList<>();
        Map<OutboxRow, String> spent = new LinkedHashMap<>();
        for (OutboxRow row : batch.rows()) {
            if (row.attempts() + 1 >= policy.maxAttempts()) {
                spent.put(row, "Gave up after " + (row.attempts() + 1) + " attempts; last error: " + reason);
            } else {
                again.add(row);
            }
        }
        if (!again.isEmpty()) {
            int attempt = again.get(0).attempts() + 1;
            long delay = policy.backoffMillis(attempt);
            store.reschedule(again, System.currentTimeMillis() + delay, true, reason);
            metrics.retried(again.size());
            LOG.warn("Track API delivery failed for account {} ({} operations, attempt {}): {}; retrying in {} ms",
                    batch.account().id(), again.size(), attempt, reason, delay);
        }
        if (!spent.isEmpty()) {
            store.deadLetter(spent, status, 1);
            metrics.deadLettered(spent.size());
            LOG.error("Dead letter: account {}, {} operations out of attempts; last error: {}", batch.account().id(),
                    spent.size(), reason);
        }
        exchange.setProperty(HOLD_ACCOUNT, true);
    }

    /**
     * Any other 4xx: fail fast. A rejected single operation becomes a dead letter at once. A rejected batch is resent
     * one operation at a time, so only the operations Customer.io rejects on their own become dead letters.
     */
    public void rejected(Exchange exchange) throws SQLException {
        DeliveryBatch batch = batch(exchange);
        DeliveryException.Rejected error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, DeliveryException.Rejected.class);
        if (!batch.isSingle()) {
            LOG.warn("Track API rejected a batch of {} operations for account {} ({}); resending them one by one",
                    batch.rows().size(), batch.account().id(), error.getMessage());
            exchange.setProperty(SPLIT_BATCH, true);
            return;
        }
        OutboxRow row = batch.rows().get(0);
        store.deadLetter(Map.of(row, error.getMessage()), error.status(), 1);
        metrics.deadLettered(1);
        LOG.warn("Dead letter: account {} event {} ({}) rejected: {}", row.accountId(), row.sourceEventId(), row.source(),
                error.getMessage());
    }

    private static Map<OutboxRow, String> partialFailures(DeliveryBatch batch, TrackResponse response) {
        Map<OutboxRow, String> rejected = new LinkedHashMap<>();
        TrackBatchErrors.Parsed errors;
        try {
            errors = TrackBatchErrors.parse(response.body(), batch.rows().size());
        } catch (IllegalArgumentException e) {
            LOG.warn("Account {}: a 207 answer without a readable error list; counting the batch as accepted",
                    batch.account().id());
            return rejected;
        }
        errors.unreadable().forEach(error ->
                LOG.warn("Account {}: a 207 error names no valid batch_index: {}", batch.account().id(), error));
        for (TrackBatchErrors.ItemError error : errors.items()) {
            OutboxRow row = batch.rows().get(error.batchIndex());
            rejected.merge(row, error.description(), (a, b) -> a + "; " + b);
        }
        return rejected;
    }

    private static DeliveryBatch batch(Exchange exchange) {
        return exchange.getProperty(OutboxDispatcher.BATCH_PROPERTY, DeliveryBatch.class);
    }
}
