package dev.ciobridge.outbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.accounts.AccountStore;
import dev.ciobridge.accounts.IntegratedAccount;
import dev.ciobridge.customerio.TrackLimits;
import dev.ciobridge.customerio.TrackRateLimiters;

/**
 * Delivers the outbox to the Track API. Each pass takes the due operations in arrival order, groups them per account,
 * cuts each account's operations into batches closed on bytes as well as count, and sends them through the
 * {@code track-delivery} route: one account's batches one after another (so each person's operations keep their
 * order), several accounts at once. New webhooks wake it at once; otherwise it sleeps until the next retry is due.
 */
public final class OutboxDispatcher implements AutoCloseable {

    public static final String ROUTE_URI = "direct:track-delivery";
    public static final String BATCH_PROPERTY = "cioDeliveryBatch";

    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);

    private final CamelContext camel;
    private final OutboxStore store;
    private final AccountStore accounts;
    private final TrackRateLimiters rateLimiters;
    private final DeliveryMetrics metrics;
    private final int claimSize;
    private final int batchMaxBytes;
    private final int batchMaxItems;
    private final long idlePollMillis;
    private final ExecutorService workers;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean wakeRequested;
    /** When the earliest operation the last pass skipped becomes due; read by the dispatcher thread only. */
    private Optional<Long> nextDueTime = Optional.empty();
    private volatile boolean running;
    private Thread thread;
    private ProducerTemplate producer;

    public OutboxDispatcher(CamelContext camel, OutboxStore store, AccountStore accounts, TrackRateLimiters rateLimiters,
                            DeliveryMetrics metrics, int claimSize, int batchMaxBytes, int batchMaxItems,
                            long idlePollMillis, int concurrency) {
        this.camel = camel;
        this.store = store;
        this.accounts = accounts;
        this.rateLimiters = rateLimiters;
        this.metrics = metrics;
        this.claimSize = claimSize;
        this.batchMaxBytes = Math.min(batchMaxBytes, TrackLimits.BATCH_BYTES);
        this.batchMaxItems = Math.max(1, batchMaxItems);
        this.idlePollMillis = idlePollMillis;
        this.workers = Executors.newFixedThreadPool(Math.max(1, concurrency), runnable -> {
            Thread worker = new Thread(runnable, "track-delivery");
            worker.setDaemon(true);
            return worker;
        });
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        producer = camel.createProducerTemplate();
        running = true;
        thread = new Thread(this::run, "outbox-dispatcher");
        thread.start();
        LOG.info("Outbox dispatcher started (batches up to {} bytes and {} operations)", batchMaxBytes, batchMaxItems);
    }

    /** Wakes the dispatcher because new operations were committed. */
    public void wakeUp() {
        lock.lock();
        try {
            wakeRequested = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (running) {
            try {
                int sent = pass();
                if (sent == 0) {
                    sleepUntilWork();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.error("Outbox dispatcher pass failed; retrying in {} ms", idlePollMillis, e);
                sleepQuietly(idlePollMillis);
            }
        }
    }

    /** Runs one pass; returns the number of operations handed to the Track API route. */
    int pass() throws Exception {
        long now = System.currentTimeMillis();
        OutboxStore.DueOperations pass = store.due(now, claimSize);
        List<OutboxRow> due = pass.rows();
        nextDueTime = pass.nextDueTime();
        if (due.isEmpty()) {
            metrics.pending(store.pendingCount());
            return 0;
        }
        Map<String, List<OutboxRow>> byAccount = new LinkedHashMap<>();
        for (OutboxRow row : due) {
            byAccount.computeIfAbsent(row.accountId(), id -> new ArrayList<>()).add(row);
        }
        List<Future<?>> tasks = new ArrayList<>();
        for (Map.Entry<String, List<OutboxRow>> entry : byAccount.entrySet()) {
            tasks.add(workers.submit(() -> {
                deliverAccount(entry.getKey(), entry.getValue());
                return null;
            }));
        }
        for (Future<?> task : tasks) {
            task.get();
        }
        return due.size();
    }

    private void deliverAccount(String accountId, List<OutboxRow> rows) throws Exception {
        Optional<IntegratedAccount> account = accounts.find(accountId);
        if (account.isEmpty()) {
            LOG.warn("Dropping {} operations of deleted account {}", rows.size(), accountId);
            store.delete(rows);
            return;
        }
        long paused = rateLimiters.pauseRemainingMillis(accountId);
        if (paused > 0) {
            store.reschedule(rows, System.currentTimeMillis() + paused, false, "waiting for the Track API rate limit");
            return;
        }
        for (List<OutboxRow> batch : batches(rows)) {
            Exchange result = send(new DeliveryBatch(account.get(), batch));
            if (Boolean.TRUE.equals(result.getProperty(DeliveryOutcomes.SPLIT_BATCH, Boolean.class))) {
                for (OutboxRow row : batch) {
                    Exchange single = send(new DeliveryBatch(account.get(), List.of(row)));
                    if (holds(single)) {
                        return;
                    }
                }
            } else if (holds(result)) {
                // The rows not sent yet stay due; the next pass holds back those of persons now waiting for a retry.
                return;
            }
        }
    }

    private boolean holds(Exchange exchange) throws Exception {
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
        return Boolean.TRUE.equals(exchange.getProperty(DeliveryOutcomes.HOLD_ACCOUNT, Boolean.class));
    }

    private Exchange send(DeliveryBatch batch) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(BATCH_PROPERTY, batch);
        exchange.getMessage().setBody(batch);
        return producer.send(ROUTE_URI, exchange);
    }

    /**
     * Cuts one account's operations into batches below the byte and count limits. An operation too large for a
     * v2 batch item goes alone, which sends it through the v1 endpoints.
     */
    List<List<OutboxRow>> batches(List<OutboxRow> rows) {
        List<List<OutboxRow>> batches = new ArrayList<>();
        List<OutboxRow> current = new ArrayList<>();
        long currentBytes = 0;
        for (OutboxRow row : rows) {
            if (row.entityBytes() > TrackLimits.ENTITY_BYTES) {
                if (!current.isEmpty()) {
                    batches.add(current);
                    current = new ArrayList<>();
                    currentBytes = 0;
                }
                batches.add(List.of(row));
                continue;
            }
            long withRow = currentBytes + row.entityBytes() + TrackSender.batchOverhead(current.size() + 1);
            if (!current.isEmpty() && (withRow > batchMaxBytes || current.size() >= batchMaxItems)) {
                batches.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(row);
            currentBytes += row.entityBytes();
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    private void sleepUntilWork() throws InterruptedException {
        long sleep = idlePollMillis;
        if (nextDueTime.isPresent()) {
            sleep = Math.max(1, Math.min(sleep, nextDueTime.get() - System.currentTimeMillis()));
        }
        lock.lock();
        try {
            if (!wakeRequested) {
                wake.await(sleep, TimeUnit.MILLISECONDS);
            }
            wakeRequested = false;
        } finally {
            lock.unlock();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() throws Exception {
        if (!running) {
            workers.shutdownNow();
            return;
        }
        running = false;
        wakeUp();
        thread.join(15_000);
        workers.shutdownNow();
        if (producer != null) {
            producer.stop();
        }
        LOG.info("Outbox dispatcher stopped");
    }
}
