package dev.ciobridge.unified;

import static dev.ciobridge.unified.UnifiedTestSupport.assertError;
import static dev.ciobridge.unified.UnifiedTestSupport.call;
import static dev.ciobridge.unified.UnifiedTestSupport.header;
import static dev.ciobridge.unified.UnifiedTestSupport.path;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.ciobridge.sandbox.SandboxWorkspace;
import dev.ciobridge.testing.RunningService;

/**
 * Idempotency-Key on unified writes, run by a subclass per database. Each test creates its own sandbox account, so
 * the sandbox's counts belong to that test alone.
 */
abstract class UnifiedIdempotencyChecks {

    private static final String SEND = "{\"template_id\":\"welcome\",\"to\":\"person6@example.com\",\"contact\":{\"id\":\"user-6\"}}";

    abstract RunningService service();

    @Test
    void repeatedKeyReturnsStoredResponse() throws Exception {
        String account = UnifiedTestSupport.sandboxAccount(service(), 20, 0);
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service(), account);

        RunningService.Reply first = call(service(), "POST", path(account, "messages"), SEND, "send-1");
        long requestsAfterFirst = workspace.requestsReceived();
        RunningService.Reply second = call(service(), "POST", path(account, "messages"), SEND, "send-1");

        assertThat(first.status()).as(first.text()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(header(second, "Idempotent-Replayed")).isEqualTo("true");
        assertThat(workspace.transactionalDeliveries()).hasSize(1);
        assertThat(workspace.requestsReceived()).isEqualTo(requestsAfterFirst);
    }

    @Test
    void sameKeyWithOtherBodyIsRejected() throws Exception {
        String account = UnifiedTestSupport.sandboxAccount(service(), 20, 0);
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service(), account);
        call(service(), "POST", path(account, "messages"), SEND, "send-2");

        RunningService.Reply other = call(service(), "POST", path(account, "messages"), SEND.replace("user-6", "user-7"), "send-2");

        assertError(other, 422, "Idempotency-Key");
        assertThat(workspace.transactionalDeliveries()).hasSize(1);
    }

    @Test
    void keysAreScopedPerAccount() throws Exception {
        String first = UnifiedTestSupport.sandboxAccount(service(), 20, 0);
        String second = UnifiedTestSupport.sandboxAccount(service(), 20, 0);

        assertThat(call(service(), "POST", path(first, "messages"), SEND, "shared-key").status()).isEqualTo(201);
        assertThat(call(service(), "POST", path(second, "messages"), SEND, "shared-key").status()).isEqualTo(201);

        assertThat(UnifiedTestSupport.workspace(service(), second).transactionalDeliveries()).hasSize(1);
    }

    @Test
    void concurrentSameKeyCallsCustomerIoOnce() throws Exception {
        String account = UnifiedTestSupport.sandboxAccount(service(), 20, 0);
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service(), account);
        // A slow Customer.io keeps the first request running while the others arrive.
        service().admin("PUT", "/integrated-accounts/" + account + "/sandbox/faults", "{\"latency_ms\": 1000}");

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<RunningService.Reply>> replies = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                replies.add(pool.submit(() -> call(service(), "POST", path(account, "messages"), SEND, "send-concurrent")));
            }
            List<String> deliveryIds = new ArrayList<>();
            for (Future<RunningService.Reply> future : replies) {
                RunningService.Reply reply = future.get();
                assertThat(reply.status()).as(reply.text()).isIn(201, 409);
                if (reply.status() == 201) {
                    deliveryIds.add(reply.json().get("id").asText());
                }
            }
            assertThat(deliveryIds).isNotEmpty();
            assertThat(deliveryIds).allMatch(id -> id.equals(deliveryIds.get(0)));
        } finally {
            pool.shutdownNow();
        }
        assertThat(workspace.transactionalDeliveries()).hasSize(1);
    }

    @Test
    void remoteErrorIsStoredToo() throws Exception {
        String account = UnifiedTestSupport.sandboxAccount(service(), 20, 0);
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service(), account);
        String unknownTemplate = SEND.replace("welcome", "no_such_template");

        RunningService.Reply first = call(service(), "POST", path(account, "messages"), unknownTemplate, "send-error");
        long requests = workspace.requestsReceived();
        RunningService.Reply second = call(service(), "POST", path(account, "messages"), unknownTemplate, "send-error");

        assertThat(first.status()).isEqualTo(404);
        assertThat(second.status()).isEqualTo(404);
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(second.json().get("remote_error").asBoolean()).isTrue();
        assertThat(workspace.requestsReceived()).isEqualTo(requests);
    }

    @Test
    void patchWithKeyIsNotRepeated() throws Exception {
        String account = UnifiedTestSupport.sandboxAccount(service(), 20, 0);
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service(), account);
        String body = "{\"custom_fields\":{\"plan\":\"pro\"}}";

        RunningService.Reply first = call(service(), "PATCH", path(account, "contacts/user-2"), body, "patch-1");
        long requests = workspace.requestsReceived();
        RunningService.Reply second = call(service(), "PATCH", path(account, "contacts/user-2"), body, "patch-1");

        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(workspace.requestsReceived()).isEqualTo(requests);
        assertError(call(service(), "PATCH", path(account, "contacts/user-3"), body, "patch-1"), 422, "Idempotency-Key");
    }

    @Test
    void invalidKeyIsRejected() throws Exception {
        String account = UnifiedTestSupport.sandboxAccount(service(), 20, 0);

        assertError(call(service(), "POST", path(account, "messages"), SEND, "has space"), 400, "Idempotency-Key");
        assertError(call(service(), "POST", path(account, "messages"), SEND, "k".repeat(256)), 400, "Idempotency-Key");

        assertThat(UnifiedTestSupport.workspace(service(), account).transactionalDeliveries()).isEmpty();
    }
}
