package dev.ciobridge.unified;

import static dev.ciobridge.unified.UnifiedTestSupport.call;
import static dev.ciobridge.unified.UnifiedTestSupport.header;
import static dev.ciobridge.unified.UnifiedTestSupport.path;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.ciobridge.sandbox.RecordedRequest;
import dev.ciobridge.sandbox.SandboxWorkspace;
import dev.ciobridge.sandbox.Surface;
import dev.ciobridge.testing.RunningService;

/**
 * Bursts of unified list calls on one workspace at Customer.io's real App API limit of 10 requests per second, which
 * the sandbox enforces with 429s.
 */
class UnifiedRateLimitTest {

    private static final int BURST = 50;

    @Test
    void burstOfListsStaysUnderLimit() throws Exception {
        try (RunningService service = RunningService.start(UnifiedTestSupport.NO_CUSTOMER_IO, Map.of())) {
            String account = UnifiedTestSupport.sandboxAccount(service, 100, 0);
            SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);
            long appRequestsBefore = workspace.requestsReceived(Surface.APP);

            List<RunningService.Reply> replies = burst(service, account);

            for (RunningService.Reply reply : replies) {
                assertThat(reply.status()).as(reply.text()).isEqualTo(200);
                assertThat(reply.json().get("result_count").asInt()).isEqualTo(10);
                assertThat(header(reply, "ratelimit-limit")).isEqualTo("10");
            }
            // Each list makes two App API calls: the people search and the attributes of the ten people found.
            assertThat(workspace.requestsReceived(Surface.APP) - appRequestsBefore).isEqualTo(2L * BURST);
            assertThat(rateLimitedResponses(workspace)).isZero();
        }
    }

    @Test
    void fullQueueAnswers429Locally() throws Exception {
        try (RunningService service = RunningService.start(UnifiedTestSupport.NO_CUSTOMER_IO,
                Map.of("customerio.rate-limit.max-queue", "5"))) {
            String account = UnifiedTestSupport.sandboxAccount(service, 100, 0);
            SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);

            List<RunningService.Reply> replies = burst(service, account);

            int served = 0;
            int turnedAway = 0;
            for (RunningService.Reply reply : replies) {
                assertThat(reply.status()).as(reply.text()).isIn(200, 429);
                if (reply.status() == 429) {
                    turnedAway++;
                    assertThat(header(reply, "Retry-After")).isNotNull();
                    assertThat(header(reply, "ratelimit-limit")).isEqualTo("10");
                    assertThat(reply.json().get("message").asText()).contains("retry after");
                } else {
                    served++;
                }
            }
            assertThat(turnedAway).isPositive();
            assertThat(served).isPositive();
            assertThat(rateLimitedResponses(workspace)).isZero();
        }
    }

    private static List<RunningService.Reply> burst(RunningService service, String account) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(BURST);
        try {
            List<Future<RunningService.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                futures.add(pool.submit(() -> call(service, "GET", path(account, "contacts", "limit", "10"), null)));
            }
            List<RunningService.Reply> replies = new ArrayList<>();
            for (Future<RunningService.Reply> future : futures) {
                replies.add(future.get());
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Counts the 429s the sandbox served this workspace, among the requests it keeps for inspection. */
    private static long rateLimitedResponses(SandboxWorkspace workspace) {
        List<RecordedRequest> recent = workspace.recentRequests();
        assertThat((long) recent.size()).isEqualTo(workspace.requestsReceived());
        return recent.stream().filter(request -> request.status() == 429).count();
    }
}
