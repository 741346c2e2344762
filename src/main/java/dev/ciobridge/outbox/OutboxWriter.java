package dev.ciobridge.outbox;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.app.Database;
import dev.ciobridge.customerio.TrackEntity;

/**
 * Stores accepted webhooks with group commit: one writer thread takes every request waiting in its queue (up to a
 * maximum), deduplicates them against {@code received_event}, inserts them in one transaction and completes each
 * request's future only after that transaction has committed. Each request thus gets its response after its data is durable,
 * at a fraction of the cost of one transaction each.
 */
public final class OutboxWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxWriter.class);
    private static final int QUEUE_CAPACITY = 20_000;

    private record Pending(IntakeRequest request, CompletableFuture<IntakeResult> result) {
    }

    private final Database database;
    private final int maxGroup;
    private final boolean syncToDisk;
    private final Runnable afterCommit;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private volatile boolean running = true;

    public OutboxWriter(Database database, int maxGroup, boolean syncToDisk, Runnable afterCommit) {
        this.database = database;
        this.maxGroup = Math.max(1, maxGroup);
        this.syncToDisk = syncToDisk;
        this.afterCommit = afterCommit;
        this.thread = new Thread(this::run, "outbox-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a request; the future completes once it is committed, or fails with {@link IntakeUnavailableException}. */
    public CompletableFuture<IntakeResult> submit(IntakeRequest request) {
        CompletableFuture<IntakeResult> result = new CompletableFuture<>();
        if (!running) {
            result.completeExceptionally(new IntakeUnavailableException("cio-bridge is shutting down; retry the webhook"));
        } else if (!queue.offer(new Pending(request, result))) {
            result.completeExceptionally(new IntakeUnavailableException("Too many webhooks waiting to be stored; retry shortly"));
        }
        return result;
    }

    private void run() {
        List<Pending> group = new ArrayList<>(maxGroup);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, maxGroup - 1);
                store(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("Outbox writer failed on a group of {} requests", group.size(), e);
                group.forEach(p -> p.result().completeExceptionally(
                        new IntakeUnavailableException("Storing the webhook failed; retry it")));
            } finally {
                group.clear();
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new IntakeUnavailableException("cio-bridge is shutting down; retry the webhook"));
        }
    }

    private void store(List<Pending> group) {
        try {
            List<IntakeResult> results = insertGroup(group);
            afterCommit.run();
            for (int i = 0; i < group.size(); i++) {
                group.get(i).result().complete(results.get(i));
            }
        } catch (SQLException e) {
            if (group.size() == 1) {
                LOG.error("Storing a webhook for account {} failed", group.get(0).request().accountId(), e);
                group.get(0).result().completeExceptionally(new IntakeUnavailableException("Storing the webhook failed; retry it"));
                return;
            }
            // One request may break the whole group (a concurrent instance inserting the same event id, say): retry one by one.
            LOG.warn("Group commit of {} requests failed ({}); storing them one by one", group.size(), e.getMessage());
            for (Pending pending : group) {
                store(List.of(pending));
            }
        }
    }

    /**
     * Inserts a group in one transaction. The first try assumes every event is new and relies on the primary key of
     * {@code received_event}: repeats are rare, and checking each id first would cost a lookup per event. When the
     * key reports a repeat, the transaction is rolled back and the group is stored again, this time looking each id up.
     */
    private List<IntakeResult> insertGroup(List<Pending> group) throws SQLException {
        try {
            return insertGroup(group, false);
        } catch (SQLException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            return insertGroup(group, true);
        }
    }

    private List<IntakeResult> insertGroup(List<Pending> group, boolean lookUpEachEvent) throws SQLException {
        long now = System.currentTimeMillis();
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement received = connection.prepareStatement(
                    "INSERT INTO received_event (account_id, source, event_id, received_at) VALUES (?, ?, ?, ?)");
                 PreparedStatement outbox = connection.prepareStatement(
                         "INSERT INTO outbox (account_id, person_key, source, source_event_id, entity, entity_bytes, "
                                 + "attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)");
                 PreparedStatement lookup = lookUpEachEvent ? connection.prepareStatement(
                         "SELECT 1 FROM received_event WHERE account_id = ? AND source = ? AND event_id = ?") : null) {
                Set<String> seen = new HashSet<>();
                List<IntakeResult> results = new ArrayList<>(group.size());
                for (Pending pending : group) {
                    results.add(addRequest(pending.request(), seen, lookup, received, outbox, now));
                }
                received.executeBatch();
                outbox.executeBatch();
                connection.commit();
                // Only once this returns is the group safe from a crash, so only then do its webhooks get their responses.
                database.persistCommitted(connection, syncToDisk);
                return results;
            } catch (BatchUpdateException e) {
                connection.rollback();
                throw e.getNextException() != null ? e.getNextException() : e;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException current = e; current != null; current = current.getNextException()) {
            if ("23505".equals(current.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static IntakeResult addRequest(IntakeRequest request, Set<String> seen, PreparedStatement lookup,
                                           PreparedStatement received, PreparedStatement outbox, long now) throws SQLException {
        List<IntakeResult.EventStatus> statuses = new ArrayList<>(request.events().size());
        for (SourceEvent event : request.events()) {
            boolean repeat = !seen.add(key(request.accountId(), request.source(), event.eventId()))
                    || (lookup != null && acceptedBefore(lookup, request, event));
            if (repeat) {
                statuses.add(new IntakeResult.EventStatus(event.eventId(), true));
                continue;
            }
            received.setString(1, request.accountId());
            received.setString(2, request.source());
            received.setString(3, event.eventId());
            received.setLong(4, now);
            received.addBatch();
            for (TrackEntity operation : event.operations()) {
                outbox.setString(1, request.accountId());
                outbox.setString(2, operation.person().key());
                outbox.setString(3, request.source());
                outbox.setString(4, event.eventId());
                outbox.setString(5, operation.json());
                outbox.setInt(6, operation.bytes());
                outbox.setLong(7, now);
                outbox.setLong(8, now);
                outbox.addBatch();
            }
            statuses.add(new IntakeResult.EventStatus(event.eventId(), false));
        }
        return new IntakeResult(statuses);
    }

    private static boolean acceptedBefore(PreparedStatement lookup, IntakeRequest request, SourceEvent event) throws SQLException {
        lookup.setString(1, request.accountId());
        lookup.setString(2, request.source());
        lookup.setString(3, event.eventId());
        try (ResultSet row = lookup.executeQuery()) {
            return row.next();
        }
    }

    private static String key(String accountId, String source, String eventId) {
        return accountId + "\n" + source + "\n" + eventId;
    }

    /** Stops taking requests, stores what is queued, then stops the writer thread. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
        LOG.info("Outbox writer stopped");
    }
}
