package dev.ciobridge.unified;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ciobridge.sandbox.EmbeddedSandbox;
import dev.ciobridge.sandbox.SandboxWorkspace;
import dev.ciobridge.testing.RunningService;

/** Calls of the unified API on a running service, and access to the sandbox workspace behind a sandbox account. */
final class UnifiedTestSupport {

    static final String BASE = "/unified/marketing-automation/";
    /** Sandbox accounts never leave the process, so no Customer.io stub is needed for them. */
    static final String NO_CUSTOMER_IO = "http://127.0.0.1:9";

    private UnifiedTestSupport() {
    }

    /** Creates a sandbox account with the given number of seeded people and deliveries; returns its id. */
    static String sandboxAccount(RunningService service, int people, int deliveries) throws Exception {
        RunningService.Reply created = service.admin("POST", "/integrated-accounts", "{\"name\":\"Unified\",\"region\":"
                + "\"sandbox\",\"sandbox\":{\"people\":" + people + ",\"deliveries\":" + deliveries + ",\"seed\":3}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    static SandboxWorkspace workspace(RunningService service, String account) throws Exception {
        String siteId = service.admin("GET", "/integrated-accounts/" + account, null).json().get("site_id").asText();
        EmbeddedSandbox sandbox = service.main().getCamelContext().getRegistry()
                .lookupByNameAndType("embeddedSandbox", EmbeddedSandbox.class);
        return sandbox.find(siteId).orElseThrow();
    }

    /** Returns {@code BASE + resourcePath} with {@code integrated_account_id} and the given extra query. */
    static String path(String account, String resourcePath, String... query) {
        StringBuilder path = new StringBuilder(BASE).append(resourcePath).append(resourcePath.contains("?") ? "&" : "?")
                .append("integrated_account_id=").append(account);
        for (int i = 0; i + 1 < query.length; i += 2) {
            path.append('&').append(query[i]).append('=').append(URLEncoder.encode(query[i + 1], StandardCharsets.UTF_8));
        }
        return path.toString();
    }

    static RunningService.Reply call(RunningService service, String method, String path, String body) throws Exception {
        return service.admin(method, path, body);
    }

    static RunningService.Reply call(RunningService service, String method, String path, String body,
            String idempotencyKey) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + RunningService.ADMIN_TOKEN);
        headers.put("Content-Type", "application/json");
        headers.put("Idempotency-Key", idempotencyKey);
        return service.request(method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** Asserts the status and that the JSON error body names {@code expectedInMessage}; returns the body. */
    static JsonNode assertError(RunningService.Reply reply, int status, String expectedInMessage) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        JsonNode body = reply.json();
        assertThat(body.get("statusCode").asInt()).as(reply.text()).isEqualTo(status);
        assertThat(body.get("error").asText()).as(reply.text()).isNotEmpty();
        assertThat(body.get("message").asText()).as(reply.text()).contains(expectedInMessage);
        return body;
    }

    static String header(RunningService.Reply reply, String name) {
        return reply.headers().entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
    }
}
