package dev.ciobridge.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.app.Settings;

/**
 * The databases syncs read from, each named by the properties {@code cio-bridge.sources.<name>.url}, {@code .username}
 * and {@code .password}. Any JDBC database whose driver is on the class path works. Each source gets a small pool,
 * opened on first use, whose connections are read-only; on H2 they also run queries lazily, so rows stream.
 */
final class SourceDatabases implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceDatabases.class);

    private final Settings settings;
    private final int poolSize;
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();

    SourceDatabases(Settings settings, int poolSize) {
        this.settings = settings;
        this.poolSize = poolSize;
    }

    /**
     * Opens a connection to the named source.
     *
     * @throws IllegalArgumentException when no {@code cio-bridge.sources.<name>.url} is set
     */
    Connection connect(String name) throws SQLException {
        return pools.computeIfAbsent(name, this::open).getConnection();
    }

    private HikariDataSource open(String name) {
        String prefix = "cio-bridge.sources." + name + ".";
        String url = settings.optional(prefix + "url").orElseThrow(() -> new IllegalArgumentException(
                "source '" + name + "' is not configured: set the property " + prefix + "url"));
        HikariConfig config = new HikariConfig();
        config.setPoolName("sync-source-" + name);
        config.setJdbcUrl(url);
        settings.optional(prefix + "username").ifPresent(config::setUsername);
        settings.optional(prefix + "password").ifPresent(config::setPassword);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setReadOnly(true);
        if (url.startsWith("jdbc:h2:")) {
            // H2 computes a whole result before returning the first row unless lazy execution is on.
            config.setConnectionInitSql("SET LAZY_QUERY_EXECUTION TRUE");
        }
        HikariDataSource pool = new HikariDataSource(config);
        LOG.info("Sync source {} opened", name);
        return pool;
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}
