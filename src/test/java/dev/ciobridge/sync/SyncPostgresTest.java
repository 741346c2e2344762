package dev.ciobridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.ciobridge.sync.SyncTestSupport.Account;
import dev.ciobridge.testing.RunningService;

/**
 * An attribute sync with PostgreSQL as both the source and the service database, on the local server at
 * 127.0.0.1:5432; skipped when there is none. The source query streams with autocommit off and a fetch size smaller
 * than the table.
 */
class SyncPostgresTest {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";

    private final String schema = "cio_bridge_sync_" + Long.toHexString(System.nanoTime());
    private SyncTestSupport support;

    @AfterEach
    void stop() throws Exception {
        if (support != null) {
            support.close();
        }
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("DROP SCHEMA IF EXISTS " + schema + "_service CASCADE");
        }
    }

    @Test
    void postgresSourceSyncsAndDiffs() throws Exception {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
            statement.execute("CREATE SCHEMA " + schema + "_service");
            statement.execute("CREATE TABLE " + schema + ".people (id BIGINT, email TEXT, plan TEXT, mrr NUMERIC(10,2),"
                    + " score DOUBLE PRECISION, renewed_at TIMESTAMPTZ)");
            statement.execute("INSERT INTO " + schema + ".people VALUES (0, 'forever@example.com', 'pro', 1, 1,"
                    + " TIMESTAMPTZ 'infinity'), (-1, 'old@example.com', 'pro', 1, 1, TIMESTAMPTZ '1900-01-01 00:00:00+00')");
            statement.execute("INSERT INTO " + schema + ".people SELECT g, 'user' || g || '@example.com', 'pro', 19.90, 0.5,"
                    + " TIMESTAMPTZ '2026-01-01 10:00:00+01' FROM generate_series(1, 2500) g");
        } catch (SQLException e) {
            Assumptions.abort("No PostgreSQL at " + SERVER + " (" + e.getMessage() + ")");
        }
        support = new SyncTestSupport();
        String url = SERVER + "?currentSchema=" + schema;
        Map<String, String> properties = SyncTestSupport.serviceProperties(url);
        properties.put("cio-bridge.sources." + SyncTestSupport.SOURCE + ".username", USER);
        properties.put("cio-bridge.syncs.fetch-size", "100");
        properties.put("cio-bridge.db.url", SERVER + "?currentSchema=" + schema + "_service");
        properties.put("cio-bridge.db.username", USER);
        support.service = RunningService.start(support.stubUrl(), properties);
        Account account = support.newAccount();
        support.loadSyncs(SyncTestSupport.attributeSync("pg", account.id(), "SELECT * FROM people", "id", "email", "delete"));

        JsonNode first = support.runAndWait("pg", false);
        try (Connection connection = DriverManager.getConnection(url, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("UPDATE people SET plan = NULL WHERE id = 7");
        }
        JsonNode second = support.runAndWait("pg", false);

        assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("succeeded");
        assertThat(SyncTestSupport.count(first, "sent")).isEqualTo(2500);
        Map<String, JsonNode> invalid = SyncTestSupport.problems(first, "invalid");
        assertThat(invalid.get("0").path("field").asText()).isEqualTo("renewed_at");
        assertThat(invalid.get("0").path("message").asText()).contains("infinite");
        assertThat(invalid.get("-1").path("field").asText()).isEqualTo("renewed_at");
        assertThat(invalid.get("-1").path("message").asText()).contains("between 2000 and 2100");
        assertThat(support.identifies(account)).doesNotContainKeys("0", "-1");
        JsonNode seven = support.identifies(account).get("7").get(0).path("attributes");
        assertThat(seven.path("mrr").asText()).isEqualTo("19.9");
        assertThat(seven.path("score").asText()).isEqualTo("0.5");
        assertThat(seven.path("renewed_at").asLong()).isEqualTo(1767258000L);
        assertThat(seven.path("email").asText()).isEqualTo("user7@example.com");
        assertThat(SyncTestSupport.count(second, "sent")).isEqualTo(1);
        assertThat(SyncTestSupport.count(second, "unchanged")).isEqualTo(2499);
        assertThat(support.identifies(account).get("7").get(1).path("attributes").toString()).isEqualTo("{\"plan\":\"\"}");
        support.assertTrackContract(account);
    }
}
