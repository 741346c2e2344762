package dev.ciobridge.unified;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.api.ApiException;

/**
 * Idempotency keys in the database. {@link #begin} claims a key with an insert, which the primary key makes atomic
 * across threads and service instances; {@link #complete} stores the response; {@link #release} frees the key when the
 * request never reached Customer.io. Keys older than the retention count as absent and are purged.
 */
public final class IdempotencyStore {

    /** SQLSTATE of a unique constraint violation, the same on H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** The largest response body stored, the size of the {@code response_body} column. */
    static final int MAX_BODY_CHARS = 1_000_000;
    private static final long POLL_MILLIS = 50;
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyStore.class);

    /** A stored response to send again. */
    public record StoredResponse(int status, String body) {
    }

    private final DataSource dataSource;
    private final Duration retention;
    private final Duration maxWait;

    /**
     * @param retention how long a key is remembered
     * @param maxWait how long a request waits for a concurrent request with the same key to finish before a 409
     */
    public IdempotencyStore(DataSource dataSource, Duration retention, Duration maxWait) {
        this.dataSource = dataSource;
        this.retention = retention;
        this.maxWait = maxWait;
    }

    public Duration retention() {
        return retention;
    }

    /**
     * Claims the key for this request, or returns the response stored for it.
     *
     * @return null when the key is now claimed and the request should run, else the stored response
     * @throws ApiException 422 when the key was used with another request, 409 with {@code Retry-After: 1} when a
     *                      request with the key is still running after the wait
     */
    public StoredResponse begin(String account, String key, String requestHash) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            long now = System.currentTimeMillis();
            if (tryInsert(account, key, requestHash, now)) {
                return null;
            }
            Row row = select(account, key);
            if (row == null) {
                continue;
            }
            if (row.createdAt < now - retention.toMillis()) {
                deleteIfCreatedAt(account, key, row.createdAt);
                continue;
            }
            if (!row.requestHash.equals(requestHash)) {
                throw new ApiException(422, "Idempotency-Key '" + key + "' was already used with a different request "
                        + "(method, path or body); use a new key for a new request");
            }
            if (row.status != null) {
                return new StoredResponse(row.status, row.body);
            }
            if (System.nanoTime() > deadline) {
                throw new ApiException(409, "A request with Idempotency-Key '" + key + "' is still in progress; "
                        + "retry after it finishes to get its response").withHeader("Retry-After", "1");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Stores the response of a claimed key. A body too large to store frees the key instead. */
    public void complete(String account, String key, int status, byte[] body) throws SQLException {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.length() > MAX_BODY_CHARS) {
            LOG.warn("A response of {} characters is too large to store for an Idempotency-Key of account {}; "
                    + "the key is freed, so a repeat runs again", text.length(), account);
            release(account, key);
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE idempotency_key SET response_status = ?, "
                     + "response_body = ?, completed_at = ? WHERE account_id = ? AND idempotency_key = ?")) {
            update.setInt(1, status);
            update.setString(2, text);
            update.setLong(3, System.currentTimeMillis());
            update.setString(4, account);
            update.setString(5, key);
            update.executeUpdate();
        }
    }

    /** Frees a claimed key whose request did not reach Customer.io, so that the client can retry it. */
    public void release(String account, String key) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM idempotency_key WHERE account_id = ? AND idempotency_key = ? AND response_status IS NULL")) {
            delete.setString(1, account);
            delete.setString(2, key);
            delete.executeUpdate();
        }
    }

    /** Deletes keys created before the retention; returns how many. */
    public int purgeExpired() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM idempotency_key WHERE created_at < ?")) {
            delete.setLong(1, System.currentTimeMillis() - retention.toMillis());
            return delete.executeUpdate();
        }
    }

    private boolean tryInsert(String account, String key, String requestHash, long now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO idempotency_key "
                     + "(account_id, idempotency_key, request_hash, created_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, account);
            insert.setString(2, key);
            insert.setString(3, requestHash);
            insert.setLong(4, now);
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private record Row(String requestHash, Integer status, String body, long createdAt) {
    }

    private Row select(String account, String key) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT request_hash, response_status, response_body, "
                     + "created_at FROM idempotency_key WHERE account_id = ? AND idempotency_key = ?")) {
            select.setString(1, account);
            select.setString(2, key);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                int status = rows.getInt("response_status");
                Integer stored = rows.wasNull() ? null : status;
                return new Row(rows.getString("request_hash"), stored, rows.getString("response_body"),
                        rows.getLong("created_at"));
            }
        }
    }

    private void deleteIfCreatedAt(String account, String key, long createdAt) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM idempotency_key WHERE account_id = ? AND idempotency_key = ? AND created_at = ?")) {
            delete.setString(1, account);
            delete.setString(2, key);
            delete.setLong(3, createdAt);
            delete.executeUpdate();
        }
    }
}
