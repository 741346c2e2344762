package dev.ciobridge.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

/** Reads and updates the outbox and the dead letters for the dispatcher and the dead-letter API. */
public final class OutboxStore {

    private static final String ROW_COLUMNS =
            "id, account_id, person_key, source, source_event_id, entity, entity_bytes, attempts, created_at";

    private final DataSource dataSource;

    public OutboxStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The operations one dispatcher pass may send, and when the earliest operation it had to skip becomes due. */
    public record DueOperations(List<OutboxRow> rows, Optional<Long> nextDueTime) {
    }

    /**
     * Reads up to {@code limit} due operations in arrival order, leaving out every operation of a person who has an
     * earlier operation still waiting for a retry: a person's operations reach Customer.io in the order they came in.
     * The outbox is read in primary key order, page by page, and at most {@code 4 * limit} rows are looked at, so a
     * large backlog waiting for retries costs a bounded read per pass.
     */
    public DueOperations due(long now, int limit) throws SQLException {
        List<OutboxRow> due = new ArrayList<>();
        Set<String> waitingPersons = new HashSet<>();
        long nextDue = Long.MAX_VALUE;
        long afterId = 0;
        int looked = 0;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT " + ROW_COLUMNS
                     + ", next_attempt_at FROM outbox WHERE id > ? ORDER BY id FETCH FIRST ? ROWS ONLY")) {
            while (due.size() < limit && looked < 4 * limit) {
                select.setLong(1, afterId);
                select.setInt(2, limit);
                int pageRows = 0;
                try (ResultSet result = select.executeQuery()) {
                    while (result.next() && due.size() < limit) {
                        pageRows++;
                        OutboxRow row = read(result);
                        afterId = row.id();
                        String person = row.accountId() + "\n" + row.personKey();
                        long nextAttemptAt = result.getLong("next_attempt_at");
                        if (nextAttemptAt > now) {
                            waitingPersons.add(person);
                            nextDue = Math.min(nextDue, nextAttemptAt);
                        } else if (!waitingPersons.contains(person)) {
                            due.add(row);
                        }
                    }
                }
                looked += pageRows;
                if (pageRows < limit) {
                    break;
                }
            }
        }
        return new DueOperations(due, nextDue == Long.MAX_VALUE ? Optional.empty() : Optional.of(nextDue));
    }

    public long pendingCount() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM outbox");
             ResultSet result = select.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Removes operations Customer.io has accepted. */
    public void delete(Collection<OutboxRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
            connection.setAutoCommit(false);
            for (OutboxRow row : rows) {
                delete.setLong(1, row.id());
                delete.addBatch();
            }
            delete.executeBatch();
            connection.commit();
        }
    }

    /** Sets when the operations are tried again, counting an attempt when {@code countAttempt} is set. */
    public void reschedule(Collection<OutboxRow> rows, long nextAttemptAt, boolean countAttempt, String lastError)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE outbox SET next_attempt_at = ?, attempts = attempts + ?, last_error = ? WHERE id = ?")) {
            connection.setAutoCommit(false);
            for (OutboxRow row : rows) {
                update.setLong(1, nextAttemptAt);
                update.setInt(2, countAttempt ? 1 : 0);
                update.setString(3, truncate(lastError, 2000));
                update.setLong(4, row.id());
                update.addBatch();
            }
            update.executeBatch();
            connection.commit();
        }
    }

    /** Moves operations to the dead letters with the reason, in one transaction. */
    public void deadLetter(Map<OutboxRow, String> reasons, Integer statusCode, int attemptsAdded) throws SQLException {
        if (reasons.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO dead_letter (account_id, person_key, source, source_event_id, entity, attempts, status_code, "
                             + "reason, first_queued_at, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
            connection.setAutoCommit(false);
            for (Map.Entry<OutboxRow, String> entry : reasons.entrySet()) {
                OutboxRow row = entry.getKey();
                insert.setString(1, row.accountId());
                insert.setString(2, row.personKey());
                insert.setString(3, row.source());
                insert.setString(4, row.sourceEventId());
                insert.setString(5, row.entity());
                insert.setInt(6, row.attempts() + attemptsAdded);
                if (statusCode == null) {
                    insert.setNull(7, java.sql.Types.INTEGER);
                } else {
                    insert.setInt(7, statusCode);
                }
                insert.setString(8, truncate(entry.getValue(), 4000));
                insert.setLong(9, row.createdAt());
                insert.setLong(10, now);
                insert.addBatch();
                delete.setLong(1, row.id());
                delete.addBatch();
            }
            insert.executeBatch();
            delete.executeBatch();
            connection.commit();
        }
    }

    public List<Map<String, Object>> listDeadLetters(String accountId, long afterId, int limit) throws SQLException {
        String sql = "SELECT id, account_id, person_key, source, source_event_id, entity, attempts, status_code, reason, "
                + "first_queued_at, failed_at FROM dead_letter WHERE id > ?"
                + (accountId == null ? "" : " AND account_id = ?") + " ORDER BY id FETCH FIRST ? ROWS ONLY";
        List<Map<String, Object>> letters = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            int index = 1;
            select.setLong(index++, afterId);
            if (accountId != null) {
                select.setString(index++, accountId);
            }
            select.setInt(index, limit);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    Map<String, Object> letter = new LinkedHashMap<>();
                    letter.put("id", result.getLong("id"));
                    letter.put("account_id", result.getString("account_id"));
                    letter.put("person", result.getString("person_key"));
                    letter.put("source", result.getString("source"));
                    letter.put("source_event_id", result.getString("source_event_id"));
                    letter.put("attempts", result.getInt("attempts"));
                    int status = result.getInt("status_code");
                    letter.put("status_code", result.wasNull() ? null : status);
                    letter.put("reason", result.getString("reason"));
                    letter.put("first_queued_at", java.time.Instant.ofEpochMilli(result.getLong("first_queued_at")).toString());
                    letter.put("failed_at", java.time.Instant.ofEpochMilli(result.getLong("failed_at")).toString());
                    letter.put("operation", dev.ciobridge.api.Json.MAPPER.readTree(result.getString("entity")));
                    letters.add(letter);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("A stored dead letter is not valid JSON", e);
            }
        }
        return letters;
    }

    /** Puts a dead letter back into the outbox as a new operation with a fresh retry budget; false when absent. */
    public boolean replay(long deadLetterId) throws SQLException {
        long now = System.currentTimeMillis();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO outbox (account_id, person_key, source, source_event_id, entity, entity_bytes, attempts, "
                            + "next_attempt_at, created_at) SELECT account_id, person_key, source, source_event_id, entity, "
                            + "OCTET_LENGTH(entity), 0, ?, ? FROM dead_letter WHERE id = ?");
                 PreparedStatement delete = connection.prepareStatement("DELETE FROM dead_letter WHERE id = ?")) {
                insert.setLong(1, now);
                insert.setLong(2, now);
                insert.setLong(3, deadLetterId);
                if (insert.executeUpdate() == 0) {
                    connection.rollback();
                    return false;
                }
                delete.setLong(1, deadLetterId);
                delete.executeUpdate();
                connection.commit();
                return true;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Deletes deduplication records older than the retention; returns how many. */
    public int purgeReceivedBefore(long epochMillis) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM received_event WHERE received_at < ?")) {
            delete.setLong(1, epochMillis);
            return delete.executeUpdate();
        }
    }

    private static OutboxRow read(ResultSet result) throws SQLException {
        return new OutboxRow(result.getLong("id"), result.getString("account_id"), result.getString("person_key"),
                result.getString("source"), result.getString("source_event_id"), result.getString("entity"),
                result.getInt("entity_bytes"), result.getInt("attempts"), result.getLong("created_at"));
    }

    private static String truncate(String text, int max) {
        if (text == null) {
            return null;
        }
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
