package dev.ciobridge.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.accounts.IntegratedAccount;

/**
 * The part of a run that both kinds of sync share: it checks the query for duplicate keys and shared emails, loads the
 * snapshot, streams the query (fetch size set, autocommit off, so PostgreSQL streams too), sorts each row into invalid,
 * unchanged or changed, and hands changed rows in chunks to {@link #process}, which runs on a few worker threads while
 * the stream goes on.
 */
abstract class SyncRunner {

    /** A changed row and what the snapshot held for it. */
    record Change(SourceRow row, long keyHash, long storedHash) {

        boolean stored() {
            return storedHash != SnapshotIndex.ABSENT;
        }

        /** Returns whether an earlier run tried this row and Customer.io did not confirm it. */
        boolean retry() {
            return storedHash == 0;
        }
    }

    /** Ends a run early: the error is stored with the run, and unconfirmed rows are sent by the next run. */
    static final class RunAborted extends Exception {
        RunAborted(String message) {
            super(message);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SyncRunner.class);

    protected final SyncRun run;
    protected final SyncDefinition definition;
    protected final SyncServices services;
    protected final BooleanSupplier stopping;
    protected IntegratedAccount account;
    protected SnapshotIndex index;
    /** Set by {@link #prepare} when the stored snapshot does not describe the run's target, so the run starts empty. */
    protected boolean snapshotDiscarded;

    private final AtomicReference<Exception> workerFailure = new AtomicReference<>();
    private Future<SnapshotIndex> snapshotLoad;
    private volatile long loadMillis;
    private final List<SourceRow> sharedEmailRows = new ArrayList<>();

    SyncRunner(SyncRun run, SyncServices services, BooleanSupplier stopping) {
        this.run = run;
        this.definition = run.definition;
        this.services = services;
        this.stopping = () -> stopping.getAsBoolean() || workerFailure.get() != null;
    }

    /** Chunk size of changed rows handed to {@link #process}. */
    abstract int chunkSize();

    /** Whether rows are read for their key only (audiences) or with every column (attributes). */
    abstract boolean keyOnly();

    /** Whether a row whose stored hash matches is unchanged; audiences compare membership, not content. */
    abstract boolean unchanged(SourceRow row, long storedHash);

    /** Runs before the stream starts, once the account is known (finds the segment of an audience sync). */
    void prepare() throws Exception {
    }

    /** Sends a chunk of changed rows and records what Customer.io confirmed. Runs on a worker thread. */
    abstract void process(List<Change> chunk) throws Exception;

    /** Runs after every chunk was processed (removes people who left the audience in mirror mode). */
    void finish() throws Exception {
    }

    final void execute() throws Exception {
        account = services.accounts().find(definition.account()).orElseThrow(() -> new RunAborted(
                "account '" + definition.account() + "' does not exist; fix the sync's account parameter"));
        prepare();
        ExecutorService workers = Executors.newFixedThreadPool(services.concurrency(),
                runnable -> new Thread(runnable, "sync-" + definition.syncId()));
        // The snapshot loads from the service database while the first pass reads the source.
        long loadStart = System.currentTimeMillis();
        snapshotLoad = workers.submit(() -> {
            SnapshotIndex loaded = snapshotDiscarded ? new SnapshotIndex(1024) : services.snapshots().load(definition.syncId());
            loadMillis = System.currentTimeMillis() - loadStart;
            return loaded;
        });
        Semaphore slots = new Semaphore(services.concurrency() * 2);
        List<Future<?>> pending = new ArrayList<>();
        try (Connection connection = services.sources().connect(definition.source())) {
            connection.setAutoCommit(false);
            try {
                stream(connection, workers, slots, pending);
                for (Future<?> task : pending) {
                    task.get();
                }
            } finally {
                connection.rollback();
            }
        } finally {
            workers.shutdown();
        }
        if (workerFailure.get() != null) {
            throw workerFailure.get();
        }
        if (!stopping.getAsBoolean()) {
            finish();
        }
    }

    private void stream(Connection connection, ExecutorService workers, Semaphore slots, List<Future<?>> pending) throws Exception {
        SourceQuery.Conflicts conflicts;
        RowCanonicalizer canonicalizer;
        try (PreparedStatement select = connection.prepareStatement(definition.query())) {
            canonicalizer = new RowCanonicalizer(select.getMetaData(), definition.idColumn(), definition.emailColumn(), keyOnly());
        } catch (IllegalArgumentException e) {
            throw new RunAborted(e.getMessage());
        }
        long passStart = System.currentTimeMillis();
        conflicts = SourceQuery.conflicts(connection, definition.query(), canonicalizer.keyColumn(), canonicalizer.emailLabel(),
                services.fetchSize());
        long passMillis = System.currentTimeMillis() - passStart;
        run.expectedRows = conflicts.rows;
        index = snapshotLoad.get();
        LOG.info("Sync {} run {}: first pass read {} rows in {} ms ({} duplicate keys, {} shared emails); snapshot of {} keys"
                        + " loaded in {} ms", definition.syncId(), run.id, conflicts.rows, passMillis, conflicts.duplicateKeys.size(),
                conflicts.sharedEmails.size(), index.size(), loadMillis);

        List<Change> chunk = new ArrayList<>(chunkSize());
        try (PreparedStatement select = connection.prepareStatement(definition.query(), ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            select.setFetchSize(services.fetchSize());
            try (ResultSet rows = select.executeQuery()) {
                long rowNumber = 0;
                while (rows.next()) {
                    if (stopping.getAsBoolean()) {
                        break;
                    }
                    rowNumber++;
                    run.rowsRead.incrementAndGet();
                    Change change = classify(canonicalizer.read(rows, rowNumber), conflicts);
                    if (change == null) {
                        continue;
                    }
                    chunk.add(change);
                    if (chunk.size() >= chunkSize()) {
                        pending.add(submit(chunk, workers, slots));
                        chunk = new ArrayList<>(chunkSize());
                    }
                }
            }
        }
        if (!chunk.isEmpty()) {
            pending.add(submit(chunk, workers, slots));
        }
        reportSharedEmails(conflicts);
    }

    /** Returns the change to send, or null for a row that is invalid or unchanged (counted here). */
    private Change classify(SourceRow row, SourceQuery.Conflicts conflicts) {
        if (row.key() == null) {
            run.invalid(row);
            return null;
        }
        long keyHash = Hashes.of(row.key());
        Long stored = index.markSeen(keyHash);
        String email = row.columns() == null ? null : row.columns().path(SourceQuery.EMAIL).asText(null);
        boolean sharedEmail = conflicts.isShared(email);
        if (sharedEmail) {
            // Recorded before the other checks, so that the message of each row names the rows that are invalid too.
            conflicts.keysBySharedEmail.computeIfAbsent(email, e -> new java.util.TreeSet<>()).add(row.key());
        }
        if (!row.isValid()) {
            run.invalid(row);
            return null;
        }
        if (conflicts.isDuplicate(keyHash) || stored == null) {
            run.invalid(row.rowNumber(), row.key(), definition.idColumn(),
                    "the key '" + row.key() + "' is on more than one row of the query; none of those rows is synced");
            return null;
        }
        if (sharedEmail) {
            sharedEmailRows.add(row);
            return null;
        }
        if (unchanged(row, stored)) {
            run.unchanged.incrementAndGet();
            return null;
        }
        return new Change(row, keyHash, stored);
    }

    /** Reports the rows whose email belongs to several keys, once the stream has found all those keys. */
    private void reportSharedEmails(SourceQuery.Conflicts conflicts) {
        for (SourceRow row : sharedEmailRows) {
            String email = row.columns().path(SourceQuery.EMAIL).asText();
            List<String> others = new ArrayList<>(conflicts.keysBySharedEmail.get(email));
            others.remove(row.key());
            // A row that is invalid on a column before the email column has no email read, so its key is unknown here.
            String owners = others.isEmpty() ? "another row of the query, which is invalid for another reason"
                    : "the key(s) " + others;
            run.invalid(row.rowNumber(), row.key(), definition.emailColumn(), "the email '" + email + "' also belongs to " + owners
                    + "; Customer.io would accept both and silently fail one, so none of those rows is synced");
        }
    }

    private Future<?> submit(List<Change> chunk, ExecutorService workers, Semaphore slots) throws InterruptedException {
        slots.acquire();
        return workers.submit(() -> {
            try {
                if (!stopping.getAsBoolean()) {
                    process(chunk);
                }
            } catch (Exception e) {
                if (workerFailure.compareAndSet(null, e)) {
                    LOG.warn("Sync {} run {}: processing changed rows failed; stopping the run", definition.syncId(), run.id, e);
                }
            } finally {
                slots.release();
            }
            return null;
        });
    }
}
