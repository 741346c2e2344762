package dev.ciobridge.customerio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ApiRateLimitsTest {

    private static ApiRateLimits limits(int appRate, int maxQueue, Duration maxWait) {
        Map<ApiSurface, Integer> rates = new EnumMap<>(ApiSurface.class);
        for (ApiSurface surface : ApiSurface.values()) {
            rates.put(surface, 1000);
        }
        rates.put(ApiSurface.APP, appRate);
        return new ApiRateLimits(rates, maxQueue, maxWait);
    }

    @Test
    void startsConcurrentCallersNoCloserThanTheSpacingOfTheRate() throws Exception {
        ApiRateLimits limits = limits(10, 100, Duration.ofSeconds(10));
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(15);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                calls.add(pool.submit(() -> {
                    limits.acquireInteractive("ws", ApiSurface.APP);
                    starts.add(System.nanoTime());
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Long> sorted = new ArrayList<>(starts);
        Collections.sort(sorted);
        // At 10 per second no one-second window may hold 11 starts, however the threads were scheduled.
        for (int i = 10; i < sorted.size(); i++) {
            assertThat(sorted.get(i) - sorted.get(i - 10)).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
        }
    }

    @Test
    void turnsInteractiveCallersAwayWhenTheQueueIsFullButLetsBackgroundWorkWait() throws Exception {
        ApiRateLimits limits = limits(1, 0, Duration.ofSeconds(10));
        limits.acquireInteractive("ws", ApiSurface.APP);
        assertThatThrownBy(() -> limits.acquireInteractive("ws", ApiSurface.APP))
                .isInstanceOfSatisfying(ApiRateLimits.QueueFullException.class, full -> {
                    assertThat(full.retryAfterSeconds()).isGreaterThanOrEqualTo(1);
                    assertThat(full.status().limit()).isEqualTo(1);
                    assertThat(full.status().remaining()).isZero();
                });
        // Another workspace and another surface have lanes of their own.
        limits.acquireInteractive("other", ApiSurface.APP);
        limits.acquireInteractive("ws", ApiSurface.TRACK);
        // Background work waits for its slot instead of being refused.
        RateLimitStatus status = limits.acquire("ws", ApiSurface.APP);
        assertThat(status.limit()).isEqualTo(1);
    }

    @Test
    void refusesWaitsLongerThanTheMaximumWait() throws Exception {
        ApiRateLimits limits = limits(1, 100, Duration.ofMillis(600));
        limits.acquireInteractive("ws", ApiSurface.APP);
        // The next slot is a second away, longer than the 600 ms an interactive caller may wait.
        assertThatThrownBy(() -> limits.acquireInteractive("ws", ApiSurface.APP))
                .isInstanceOf(ApiRateLimits.QueueFullException.class);
    }

    @Test
    void reportsTheRequestsLeftInTheComingSecond() throws Exception {
        ApiRateLimits limits = limits(10, 100, Duration.ofSeconds(10));
        assertThat(limits.status("ws", ApiSurface.APP).remaining()).isEqualTo(10);
        RateLimitStatus first = limits.acquireInteractive("ws", ApiSurface.APP);
        assertThat(first.limit()).isEqualTo(10);
        assertThat(first.remaining()).isBetween(8, 9);
        assertThat(first.resetSeconds()).isLessThanOrEqualTo(1);
    }

    @Test
    void pauseHoldsTheLaneAndIsReported() {
        ApiRateLimits limits = limits(10, 100, Duration.ofSeconds(10));
        limits.pause("ws", ApiSurface.APP, Duration.ofSeconds(30));
        assertThat(limits.pauseRemainingMillis("ws", ApiSurface.APP)).isGreaterThan(20_000);
        assertThat(limits.pauseRemainingMillis("ws", ApiSurface.TRACK)).isZero();
        assertThat(limits.status("ws", ApiSurface.APP).remaining()).isZero();
        assertThatThrownBy(() -> limits.acquireInteractive("ws", ApiSurface.APP))
                .isInstanceOfSatisfying(ApiRateLimits.QueueFullException.class,
                        full -> assertThat(full.retryAfterSeconds()).isGreaterThanOrEqualTo(10));
        limits.forget("ws");
        assertThat(limits.pauseRemainingMillis("ws", ApiSurface.APP)).isZero();
    }

    @Test
    void rejectsARateBelowOne() {
        Map<ApiSurface, Integer> rates = new EnumMap<>(ApiSurface.class);
        for (ApiSurface surface : ApiSurface.values()) {
            rates.put(surface, 1);
        }
        rates.put(ApiSurface.PIPELINES, 0);
        assertThatThrownBy(() -> new ApiRateLimits(rates, 1, Duration.ofSeconds(1)))
                .hasMessageContaining("customerio.pipelines.requests-per-second");
    }
}
