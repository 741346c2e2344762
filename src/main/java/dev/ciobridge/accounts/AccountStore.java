package dev.ciobridge.accounts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ciobridge.api.Json;
import dev.ciobridge.customerio.Region;

/**
 * Integrated accounts in the database, credentials encrypted. Lookups by id are cached for a few seconds because
 * every webhook and every delivery needs its account; a delete on this instance drops the entry at once.
 */
public final class AccountStore {

    private static final long CACHE_MILLIS = 5_000;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private record Cached(Optional<IntegratedAccount> account, long loadedAt) {
    }

    private final DataSource dataSource;
    private final CredentialCipher cipher;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public AccountStore(DataSource dataSource, CredentialCipher cipher) {
        this.dataSource = dataSource;
        this.cipher = cipher;
    }

    public void insert(IntegratedAccount account) throws SQLException {
        ObjectNode secrets = Json.MAPPER.createObjectNode();
        secrets.put("track_api_key", account.trackApiKey());
        secrets.put("app_api_key", account.appApiKey());
        secrets.put("pipelines_api_key", account.pipelinesApiKey());
        secrets.set("webhook_secrets", Json.MAPPER.valueToTree(account.webhookSecrets()));
        String sealed = cipher.encrypt(account.id(), secrets.toString());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO integrated_account (id, name, region, site_id, environment_id, credentials, masked, created_at) "
                             + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, account.id());
            insert.setString(2, account.name());
            insert.setString(3, account.region().code());
            insert.setString(4, account.siteId());
            if (account.environmentId() == null) {
                insert.setNull(5, java.sql.Types.BIGINT);
            } else {
                insert.setLong(5, account.environmentId());
            }
            insert.setString(6, sealed);
            insert.setString(7, new String(Json.write(account.masked()), java.nio.charset.StandardCharsets.UTF_8));
            insert.setLong(8, account.createdAt());
            insert.executeUpdate();
        }
        cache.remove(account.id());
    }

    public Optional<IntegratedAccount> find(String id) {
        long now = System.currentTimeMillis();
        Cached cached = cache.get(id);
        if (cached != null && now - cached.loadedAt() < CACHE_MILLIS) {
            return cached.account();
        }
        Optional<IntegratedAccount> loaded = load(id);
        cache.put(id, new Cached(loaded, now));
        return loaded;
    }

    public List<IntegratedAccount> list() {
        List<IntegratedAccount> accounts = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(SELECT + " ORDER BY created_at, id");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                accounts.add(read(rows));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot list integrated accounts", e);
        }
        return accounts;
    }

    /** Deletes an account with its pending deliveries and dead letters; returns the number of pending deliveries dropped, or -1 when absent. */
    public int delete(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int pending = update(connection, "DELETE FROM outbox WHERE account_id = ?", id);
                update(connection, "DELETE FROM dead_letter WHERE account_id = ?", id);
                update(connection, "DELETE FROM received_event WHERE account_id = ?", id);
                int deleted = update(connection, "DELETE FROM integrated_account WHERE id = ?", id);
                connection.commit();
                cache.remove(id);
                return deleted == 0 ? -1 : pending;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static int update(Connection connection, String sql, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, id);
            return statement.executeUpdate();
        }
    }

    private static final String SELECT =
            "SELECT id, name, region, site_id, environment_id, credentials, masked, created_at FROM integrated_account";

    private Optional<IntegratedAccount> load(String id) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(SELECT + " WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot load integrated account " + id, e);
        }
    }

    private IntegratedAccount read(ResultSet rows) throws SQLException {
        String id = rows.getString("id");
        Region region = Region.fromCode(rows.getString("region"))
                .orElseThrow(() -> new IllegalStateException("Unknown region stored for account " + id));
        long environment = rows.getLong("environment_id");
        Long environmentId = rows.wasNull() ? null : environment;
        try {
            Map<String, Object> secrets = Json.MAPPER.readValue(cipher.decrypt(id, rows.getString("credentials")), MAP);
            @SuppressWarnings("unchecked")
            Map<String, String> webhookSecrets = secrets.get("webhook_secrets") instanceof Map<?, ?> map
                    ? new LinkedHashMap<>((Map<String, String>) map)
                    : Map.of();
            Map<String, Object> masked = Json.MAPPER.readValue(rows.getString("masked"), MAP);
            return new IntegratedAccount(id, rows.getString("name"), region, rows.getString("site_id"), environmentId,
                    (String) secrets.get("track_api_key"), (String) secrets.get("app_api_key"),
                    (String) secrets.get("pipelines_api_key"), webhookSecrets, masked,
                    rows.getLong("created_at"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Stored account " + id + " is unreadable", e);
        }
    }
}
