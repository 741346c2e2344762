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
 * request's future only after that transaction has committed. Requests are thus answered after their data is durable,
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

    private List<IntakeResult> insertGroup(List<Pending> group) throws SQLException {
        long now = System.currentTimeMillis();
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                Set<String> known = existingEventKeys(connection, group);
                List<IntakeResult> results = new ArrayList<>(group.size());
                try (PreparedStatement received = connection.prepareStatement(
                        "INSERT INTO received_event (account_id, source, event_id, received_at) VALUES (?, ?, ?, ?)");
                     PreparedStatement outbox = connection.prepareStatement(
                             "INSERT INTO outbox (account_id, person_key, source, source_event_id, entity, entity_bytes, "
                                     + "attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)")) {
                    for (Pending pending : group) {
                        results.add(addRequest(pending.request(), known, received, outbox, now));
                    }
                    received.executeBatch();
                    outbox.executeBatch();
                }
                connection.commit();
                if (syncToDisk) {
                    syncQuietly(connection);
                }
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

    /**
     * Forces the committed group to disk. The group is committed already, so a failure here must not fail its
     * requests: they are durable against a crash of this process, though not yet against a power cut.
     */
    private void syncQuietly(Connection connection) {
        try {
            database.syncToDisk(connection);
        } catch (SQLException e) {
            LOG.warn("Forcing the database file to disk failed after a commit: {}", e.getMessage());
        }
    }

    private static IntakeResult addRequest(IntakeRequest request, Set<String> known, PreparedStatement received,
                                           PreparedStatement outbox, long now) throws SQLException {
        List<IntakeResult.EventStatus> statuses = new ArrayList<>(request.events().size());
        for (SourceEvent event : request.events()) {
            String key = key(request.accountId(), request.source(), event.eventId());
            if (!known.add(key)) {
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

    /** Reads which events of the group were already accepted earlier, in one query per account and source. */
    private static Set<String> existingEventKeys(Connection connection, List<Pending> group) throws SQLException {
        Set<String> known = new HashSet<>();
        java.util.Map<String, List<String>> idsByScope = new java.util.LinkedHashMap<>();
        for (Pending pending : group) {
            IntakeRequest request = pending.request();
            List<String> ids = idsByScope.computeIfAbsent(request.accountId() + "\n" + request.source(), k -> new ArrayList<>());
            request.events().forEach(event -> ids.add(event.eventId()));
        }
        for (java.util.Map.Entry<String, List<String>> scope : idsByScope.entrySet()) {
            String[] accountAndSource = scope.getKey().split("\n", 2);
            List<String> ids = scope.getValue();
            for (int from = 0; from < ids.size(); from += 500) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
                String placeholders = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT event_id FROM received_event WHERE account_id = ? AND source = ? AND event_id IN (" + placeholders + ")")) {
                    select.setString(1, accountAndSource[0]);
                    select.setString(2, accountAndSource[1]);
                    for (int i = 0; i < chunk.size(); i++) {
                        select.setString(3 + i, chunk.get(i));
                    }
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            known.add(key(accountAndSource[0], accountAndSource[1], rows.getString(1)));
                        }
                    }
                }
            }
        }
        return known;
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
