package dev.ciobridge.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

import javax.sql.DataSource;

/**
 * The tables {@code sync_snapshot} (key and row hashes) and {@code sync_snapshot_state} (attributes, for attribute
 * syncs): per sync, what Customer.io confirmed for each source key.
 */
final class SnapshotStore {

    /** A snapshot row to write once Customer.io has confirmed it, or with row hash 0 when it has not. */
    record Entry(String key, long keyHash, long rowHash, String state, boolean stored) {
    }

    private static final int IN_CHUNK = 500;

    private final DataSource dataSource;

    SnapshotStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    int count(String syncId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM sync_snapshot WHERE sync_id = ?")) {
            select.setString(1, syncId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** Loads the key and row hashes of a sync into an index sized for them. */
    SnapshotIndex load(String syncId) throws SQLException {
        SnapshotIndex index = new SnapshotIndex(Math.max(1024, count(syncId)));
        try (Connection connection = dataSource.getConnection()) {
            streaming(connection, "SELECT key_hash, row_hash FROM sync_snapshot WHERE sync_id = ?", syncId,
                    rows -> index.putStored(rows.getLong(1), rows.getLong(2)));
        }
        return index;
    }

    private interface RowHandler {
        void handle(ResultSet rows) throws SQLException;
    }

    /**
     * Streams a query's rows: autocommit off and a fetch size for PostgreSQL, lazy execution for H2 (switched off
     * again before the pooled connection is returned).
     */
    private static void streaming(Connection connection, String sql, String syncId, RowHandler handler) throws SQLException {
        boolean h2 = "H2".equals(connection.getMetaData().getDatabaseProductName());
        connection.setAutoCommit(false);
        try (Statement settings = connection.createStatement()) {
            if (h2) {
                settings.execute("SET LAZY_QUERY_EXECUTION TRUE");
            }
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setFetchSize(10_000);
                select.setString(1, syncId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        handler.handle(rows);
                    }
                }
            } finally {
                connection.commit();
                if (h2) {
                    settings.execute("SET LAZY_QUERY_EXECUTION FALSE");
                }
                connection.setAutoCommit(true);
            }
        }
    }

    /** Returns the stored state of each of the keys that has one. */
    Map<String, String> states(String syncId, List<String> keys) throws SQLException {
        Map<String, String> states = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            for (int from = 0; from < keys.size(); from += IN_CHUNK) {
                List<String> chunk = keys.subList(from, Math.min(keys.size(), from + IN_CHUNK));
                String placeholders = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT row_key, state FROM sync_snapshot_state WHERE sync_id = ? AND row_key IN (" + placeholders + ")")) {
                    select.setString(1, syncId);
                    for (int i = 0; i < chunk.size(); i++) {
                        select.setString(i + 2, chunk.get(i));
                    }
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            states.put(rows.getString(1), rows.getString(2));
                        }
                    }
                }
            }
        }
        return states;
    }

    /**
     * Writes entries in one transaction: an update for keys the snapshot holds, an insert for the others. Entries with
     * a state (attribute syncs) also write it to {@code sync_snapshot_state}.
     */
    void write(String syncId, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement update = connection.prepareStatement(
                         "UPDATE sync_snapshot SET row_hash = ?, updated_at = ? WHERE sync_id = ? AND row_key = ?");
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO sync_snapshot (sync_id, row_key, key_hash, row_hash, updated_at) VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement updateState = connection.prepareStatement(
                         "UPDATE sync_snapshot_state SET state = ? WHERE sync_id = ? AND row_key = ?");
                 PreparedStatement insertState = connection.prepareStatement(
                         "INSERT INTO sync_snapshot_state (sync_id, row_key, state) VALUES (?, ?, ?)")) {
                for (Entry entry : entries) {
                    if (entry.stored()) {
                        update.setLong(1, entry.rowHash());
                        update.setLong(2, now);
                        update.setString(3, syncId);
                        update.setString(4, entry.key());
                        update.addBatch();
                    } else {
                        insert.setString(1, syncId);
                        insert.setString(2, entry.key());
                        insert.setLong(3, entry.keyHash());
                        insert.setLong(4, entry.rowHash());
                        insert.setLong(5, now);
                        insert.addBatch();
                    }
                    if (entry.state() != null) {
                        PreparedStatement state = entry.stored() ? updateState : insertState;
                        if (entry.stored()) {
                            state.setString(1, entry.state());
                            state.setString(2, syncId);
                            state.setString(3, entry.key());
                        } else {
                            state.setString(1, syncId);
                            state.setString(2, entry.key());
                            state.setString(3, entry.state());
                        }
                        state.addBatch();
                    }
                }
                update.executeBatch();
                insert.executeBatch();
                updateState.executeBatch();
                insertState.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    void delete(String syncId, List<String> keys) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            for (String table : new String[] {"sync_snapshot", "sync_snapshot_state"}) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE sync_id = ? AND row_key = ?")) {
                    for (String key : keys) {
                        delete.setString(1, syncId);
                        delete.setString(2, key);
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
            }
            connection.commit();
        }
    }

    /** Returns the id of the segment that an audience sync's snapshot describes, or null when none is stored. */
    String segmentId(String syncId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT segment_id FROM sync_segment WHERE sync_id = ?")) {
            select.setString(1, syncId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    /**
     * Deletes the snapshot of an audience sync and stores the segment id that the next snapshot rows describe, in one
     * transaction.
     */
    void startSegment(String syncId, String segmentId) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (String table : new String[] {"sync_snapshot", "sync_snapshot_state"}) {
                    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE sync_id = ?")) {
                        delete.setString(1, syncId);
                        delete.executeUpdate();
                    }
                }
                long now = System.currentTimeMillis();
                int updated;
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE sync_segment SET segment_id = ?, updated_at = ? WHERE sync_id = ?")) {
                    update.setString(1, segmentId);
                    update.setLong(2, now);
                    update.setString(3, syncId);
                    updated = update.executeUpdate();
                }
                if (updated == 0) {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO sync_segment (sync_id, segment_id, updated_at) VALUES (?, ?, ?)")) {
                        insert.setString(1, syncId);
                        insert.setString(2, segmentId);
                        insert.setLong(3, now);
                        insert.executeUpdate();
                    }
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Streams the keys of a sync whose key hash passes the filter. */
    void forEachKey(String syncId, LongPredicate keyHashFilter, Consumer<String> consumer) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            streaming(connection, "SELECT key_hash, row_key FROM sync_snapshot WHERE sync_id = ?", syncId, rows -> {
                if (keyHashFilter.test(rows.getLong(1))) {
                    consumer.accept(rows.getString(2));
                }
            });
        }
    }
}
