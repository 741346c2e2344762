package dev.ciobridge.app;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The service's relational database: a Hikari pool whose schema Flyway migrates at start. */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final boolean h2;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.h2 = dataSource.getJdbcUrl().startsWith("jdbc:h2:");
    }

    public static Database open(Settings settings) {
        String url = settings.optional("cio-bridge.db.url").orElseGet(() -> defaultH2Url(settings.dataDir()));
        HikariConfig config = new HikariConfig();
        config.setPoolName("cio-bridge-db");
        config.setJdbcUrl(url);
        config.setUsername(settings.string("cio-bridge.db.username", "sa"));
        config.setPassword(settings.string("cio-bridge.db.password", ""));
        config.setMaximumPoolSize(settings.integer("cio-bridge.db.pool-size", 8));
        config.setAutoCommit(true);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        LOG.info("Database ready at {}", redactUrl(url));
        return new Database(dataSource);
    }

    /**
     * The embedded database: H2 with its default write delay, so that its background thread keeps compacting the
     * file. Committed data reaches the file before a webhook gets its response because {@link #persistCommitted} runs a
     * checkpoint after each group. H2 keeps old pages until it compacts, so under sustained load its file grows
     * beyond the live data; closing it compacts for up to ten seconds ({@code MAX_COMPACT_TIME}).
     */
    static String defaultH2Url(Path dataDir) {
        Path file = dataDir.toAbsolutePath().resolve("cio-bridge");
        return "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;MAX_COMPACT_TIME=10000";
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isH2() {
        return h2;
    }

    /**
     * Makes committed transactions survive a crash. H2 commits to memory and writes to its file later, so a
     * checkpoint writes them now, and {@code sync} also forces the file to disk (durable across a power cut as well).
     * PostgreSQL does both on commit already.
     */
    public void persistCommitted(Connection connection, boolean sync) throws SQLException {
        if (h2) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sync ? "CHECKPOINT SYNC" : "CHECKPOINT");
            }
        }
    }

    public boolean isReady() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
        LOG.info("Database pool closed");
    }

    /** Drops user info and parameters that may carry a password from a JDBC URL before it is logged. */
    static String redactUrl(String url) {
        String withoutParams = url.replaceAll("(?i)(password|user)=[^;&]*", "$1=***");
        return withoutParams.replaceAll("//[^/@]*@", "//***@");
    }
}
