package dev.ciobridge.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

/** The run history of every sync, in the service database: {@code sync_run} and {@code sync_run_problem}. */
final class RunStore {

    static final String RUNNING = "running";
    static final String SUCCEEDED = "succeeded";
    /** A run that ended but left rows rejected by Customer.io or failed after every retry; later runs send them again. */
    static final String COMPLETED_WITH_FAILURES = "completed_with_failures";
    static final String FAILED = "failed";
    static final String INTERRUPTED = "interrupted";

    private static final String COLUMNS = "id, sync_id, trigger_type, dry_run, status, started_at, finished_at, rows_read,"
            + " unchanged, sent, removed, invalid, rejected, failed, retried, api_calls, error";

    private final DataSource dataSource;

    RunStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Marks runs left running by a service that stopped without ending them; returns how many. */
    int markAbandonedRunsInterrupted() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE sync_run SET status = ?, finished_at = ?, error = ? WHERE status = ?")) {
            update.setString(1, INTERRUPTED);
            update.setLong(2, System.currentTimeMillis());
            update.setString(3, "The service stopped before the run ended; the next run sends what was not confirmed");
            update.setString(4, RUNNING);
            return update.executeUpdate();
        }
    }

    void insert(SyncRun run) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO sync_run (id, sync_id, trigger_type, dry_run, status, started_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, run.id);
            insert.setString(2, run.definition.syncId());
            insert.setString(3, run.trigger);
            insert.setBoolean(4, run.dryRun);
            insert.setString(5, RUNNING);
            insert.setLong(6, run.startedAt);
            insert.executeUpdate();
        }
    }

    /**
     * Stores the run's counts and the problems collected since the last call; with a status, also ends the run. Calls
     * for one run are serialised, and once the run has ended, progress saves (without a status) are ignored, so that a
     * late progress save cannot overwrite the final counts.
     */
    void save(SyncRun run, String status, String error) throws SQLException {
        synchronized (run) {
            if (run.ended) {
                return;
            }
            write(run, status, error);
            if (status != null) {
                run.ended = true;
            }
        }
    }

    private void write(SyncRun run, String status, String error) throws SQLException {
        int firstSeq = run.storedProblems();
        List<SyncRun.Problem> problems = run.drainProblems();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement update = connection.prepareStatement("UPDATE sync_run SET rows_read = ?, unchanged = ?, sent = ?,"
                    + " removed = ?, invalid = ?, rejected = ?, failed = ?, retried = ?, api_calls = ?"
                    + (status == null ? "" : ", status = ?, finished_at = ?, error = ?") + " WHERE id = ?")) {
                int i = 1;
                update.setLong(i++, run.rowsRead.get());
                update.setLong(i++, run.unchanged.get());
                update.setLong(i++, run.sent.get());
                update.setLong(i++, run.removed.get());
                update.setLong(i++, run.invalid.get());
                update.setLong(i++, run.rejected.get());
                update.setLong(i++, run.failed.get());
                update.setLong(i++, run.retried.get());
                update.setLong(i++, run.apiCalls.get());
                if (status != null) {
                    update.setString(i++, status);
                    update.setLong(i++, System.currentTimeMillis());
                    update.setString(i++, error == null ? null : truncate(error, 2000));
                }
                update.setString(i, run.id);
                update.executeUpdate();
            }
            if (!problems.isEmpty()) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO sync_run_problem"
                        + " (run_id, seq, kind, row_number, row_key, field, message) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    int seq = firstSeq;
                    for (SyncRun.Problem problem : problems) {
                        insert.setString(1, run.id);
                        insert.setInt(2, seq++);
                        insert.setString(3, problem.kind());
                        if (problem.rowNumber() == null) {
                            insert.setNull(4, Types.BIGINT);
                        } else {
                            insert.setLong(4, problem.rowNumber());
                        }
                        insert.setString(5, truncate(problem.rowKey(), 400));
                        insert.setString(6, truncate(problem.field(), 400));
                        insert.setString(7, truncate(problem.message(), 2000));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            connection.commit();
        }
    }

    List<Map<String, Object>> list(String syncId, int limit) throws SQLException {
        List<Map<String, Object>> runs = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT " + COLUMNS + " FROM sync_run WHERE sync_id = ? ORDER BY started_at DESC, id DESC")) {
            select.setString(1, syncId);
            select.setMaxRows(limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    runs.add(read(rows));
                }
            }
        }
        return runs;
    }

    Optional<Map<String, Object>> find(String syncId, String runId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Map<String, Object> run;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM sync_run WHERE sync_id = ? AND id = ?")) {
                select.setString(1, syncId);
                select.setString(2, runId);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    run = read(rows);
                }
            }
            List<Map<String, Object>> problems = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT kind, row_number, row_key, field, message"
                    + " FROM sync_run_problem WHERE run_id = ? ORDER BY seq")) {
                select.setString(1, runId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        long rowNumber = rows.getLong(2);
                        Long number = rows.wasNull() ? null : rowNumber;
                        problems.add(new SyncRun.Problem(rows.getString(1), number, rows.getString(3), rows.getString(4),
                                rows.getString(5)).toJson());
                    }
                }
            }
            run.put("problems", problems);
            return Optional.of(run);
        }
    }

    private static Map<String, Object> read(ResultSet rows) throws SQLException {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("id", rows.getString("id"));
        run.put("sync_id", rows.getString("sync_id"));
        run.put("trigger", rows.getString("trigger_type"));
        run.put("dry_run", rows.getBoolean("dry_run"));
        run.put("status", rows.getString("status"));
        long started = rows.getLong("started_at");
        long finished = rows.getLong("finished_at");
        boolean running = rows.wasNull();
        run.put("started_at", java.time.Instant.ofEpochMilli(started).toString());
        run.put("finished_at", running ? null : java.time.Instant.ofEpochMilli(finished).toString());
        run.put("duration_ms", running ? null : finished - started);
        Map<String, Object> counts = new LinkedHashMap<>();
        for (String name : new String[] {"rows_read", "unchanged", "sent", "removed", "invalid", "rejected", "failed", "retried",
                "api_calls"}) {
            counts.put(name, rows.getLong(name));
        }
        run.put("counts", counts);
        run.put("error", rows.getString("error"));
        return run;
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
