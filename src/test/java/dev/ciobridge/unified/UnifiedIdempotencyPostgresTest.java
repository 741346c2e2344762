package dev.ciobridge.unified;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

import dev.ciobridge.testing.RunningService;

/**
 * Idempotency-Key on PostgreSQL (127.0.0.1:5432, database {@code test}), in a schema of its own that the test drops.
 * Skipped when no PostgreSQL server responds there.
 */
class UnifiedIdempotencyPostgresTest extends UnifiedIdempotencyChecks {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";

    private static final String SCHEMA = "cio_bridge_unified_" + Long.toHexString(System.nanoTime());
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + SCHEMA);
        } catch (SQLException e) {
            Assumptions.abort("No PostgreSQL at " + SERVER + " (" + e.getMessage() + ")");
        }
        service = RunningService.start(UnifiedTestSupport.NO_CUSTOMER_IO, Map.of(
                "cio-bridge.db.url", SERVER + "?currentSchema=" + SCHEMA,
                "cio-bridge.db.username", USER));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        } catch (SQLException e) {
            // The server went away; nothing is left to drop.
        }
    }

    @Override
    RunningService service() {
        return service;
    }
}
