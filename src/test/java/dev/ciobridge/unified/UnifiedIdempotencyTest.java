package dev.ciobridge.unified;

import static dev.ciobridge.unified.UnifiedTestSupport.call;
import static dev.ciobridge.unified.UnifiedTestSupport.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ciobridge.testing.RunningService;

/** Idempotency-Key on the embedded H2 database. */
class UnifiedIdempotencyTest extends UnifiedIdempotencyChecks {

    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(UnifiedTestSupport.NO_CUSTOMER_IO, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @Override
    RunningService service() {
        return service;
    }

    @Test
    void expiredKeysArePurged() throws Exception {
        try (RunningService shortLived = RunningService.start(UnifiedTestSupport.NO_CUSTOMER_IO, Map.of(
                "cio-bridge.unified.idempotency-retention", "1s",
                "cio-bridge.unified.idempotency-purge-interval", "200ms"))) {
            String account = UnifiedTestSupport.sandboxAccount(shortLived, 20, 0);
            String body = "{\"name\":\"Temporary\"}";
            assertThat(call(shortLived, "POST", path(account, "segments"), body, "segment-key").status()).isEqualTo(201);

            await().atMost(Duration.ofSeconds(20)).until(() -> storedKeys(shortLived) == 0);

            RunningService.Reply reused = call(shortLived, "POST", path(account, "segments"), "{\"name\":\"Other\"}", "segment-key");
            assertThat(reused.status()).as(reused.text()).isEqualTo(201);
        }
    }

    @Test
    void concurrentRepeatWithoutWaitGets409() throws Exception {
        try (RunningService noWait = RunningService.start(UnifiedTestSupport.NO_CUSTOMER_IO, Map.of(
                "cio-bridge.unified.idempotency-wait", "0s"))) {
            String account = UnifiedTestSupport.sandboxAccount(noWait, 20, 0);
            noWait.admin("PUT", "/integrated-accounts/" + account + "/sandbox/faults", "{\"latency_ms\": 2000}");
            String body = "{\"name\":\"Slow segment\"}";
            java.util.concurrent.CompletableFuture<RunningService.Reply> first = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return call(noWait, "POST", path(account, "segments"), body, "slow-key");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            await().atMost(Duration.ofSeconds(10)).until(() -> storedKeys(noWait) == 1);

            RunningService.Reply second = call(noWait, "POST", path(account, "segments"), body, "slow-key");

            UnifiedTestSupport.assertError(second, 409, "in progress");
            assertThat(UnifiedTestSupport.header(second, "Retry-After")).isEqualTo("1");
            assertThat(first.get().status()).isEqualTo(201);
            RunningService.Reply third = call(noWait, "POST", path(account, "segments"), body, "slow-key");
            assertThat(third.status()).isEqualTo(201);
            assertThat(third.json()).isEqualTo(first.get().json());
        }
    }

    private static int storedKeys(RunningService service) throws Exception {
        javax.sql.DataSource dataSource = service.main().getCamelContext().getRegistry()
                .lookupByNameAndType("dataSource", javax.sql.DataSource.class);
        try (var connection = dataSource.getConnection();
             var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM idempotency_key")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
