package dev.ciobridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

class FaultsAndAdminSimulatorTest extends SimulatorTestSupport {

    private static SandboxWorkspace newWorkspace() {
        return simulator.createWorkspace(WorkspaceSpec.defaults().withRateLimits(0, 0, 0));
    }

    @Test
    void serverErrorFault() {
        SandboxWorkspace workspace = newWorkspace();
        workspace.setFaults(FaultSettings.NONE.withServerErrors(1.0, 502));

        SimulatorClient.Reply reply = client.track(workspace, "PUT", "/api/v1/customers/42", "{}");

        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.header("X-Cio-Sandbox")).isEqualTo("true");
        assertThat(workspace.peopleCount()).isZero();
    }

    @Test
    void rateLimitStormWithRetryAfter() {
        SandboxWorkspace workspace = newWorkspace();
        workspace.setFaults(FaultSettings.NONE.withRateLimitStorm(1.0, 7));

        SimulatorClient.Reply reply = client.track(workspace, "PUT", "/api/v1/customers/42", "{}");

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.header("Retry-After")).isEqualTo("7");
    }

    @Test
    void rateLimitStormWithoutRetryAfter() {
        SandboxWorkspace workspace = newWorkspace();
        workspace.setFaults(FaultSettings.NONE.withRateLimitStorm(1.0, null));

        SimulatorClient.Reply reply = client.app(workspace, "GET", "/v1/campaigns", null);

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.header("Retry-After")).isNull();
        assertThat(reply.json().path("errors").get(0).path("status").asText()).isEqualTo("429");
    }

    @Test
    void droppedConnectionFault() {
        SandboxWorkspace workspace = newWorkspace();
        workspace.setFaults(FaultSettings.NONE.withDroppedConnections(1.0));

        assertThatThrownBy(() -> client.track(workspace, "PUT", "/api/v1/customers/42", "{}"))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(workspace.peopleCount()).isZero();
    }

    @Test
    void latencyFaultStillAnswers() {
        SandboxWorkspace workspace = newWorkspace();
        workspace.setFaults(FaultSettings.NONE.withLatency(50));

        assertThat(client.track(workspace, "PUT", "/api/v1/customers/42", "{}").status()).isEqualTo(200);
        assertThat(workspace.person("42")).isPresent();
    }

    @Test
    void faultsLimitedToSurface() {
        SandboxWorkspace workspace = newWorkspace();
        workspace.setFaults(FaultSettings.NONE.withServerErrors(1.0, 503).onlyOn(Set.of(Surface.APP)));

        assertThat(client.track(workspace, "PUT", "/api/v1/customers/42", "{}").status()).isEqualTo(200);
        assertThat(client.app(workspace, "GET", "/v1/campaigns", null).status()).isEqualTo(503);
    }

    @Test
    void faultsOffByDefault() {
        assertThat(newWorkspace().faults()).isEqualTo(FaultSettings.NONE);
    }

    @Test
    void adminSetsFaults() {
        SandboxWorkspace workspace = newWorkspace();
        String siteId = workspace.credentials().siteId();

        SimulatorClient.Reply set = client.admin("PUT", "/workspaces/" + siteId + "/faults",
                "{\"server_error_rate\":1.0,\"server_error_status\":500,\"surfaces\":[\"track\"]}");

        assertThat(set.status()).isEqualTo(200);
        assertThat(client.track(workspace, "PUT", "/api/v1/customers/42", "{}").status()).isEqualTo(500);

        client.admin("PUT", "/workspaces/" + siteId + "/faults", "{}");

        assertThat(client.track(workspace, "PUT", "/api/v1/customers/42", "{}").status()).isEqualTo(200);
        assertThat(client.admin("PUT", "/workspaces/" + siteId + "/faults", "{\"drop_rate\":2}").status()).isEqualTo(400);
    }

    @Test
    void faultsRejectUnknownAndInvalidFields() {
        SandboxWorkspace workspace = newWorkspace();
        String siteId = workspace.credentials().siteId();
        client.admin("PUT", "/workspaces/" + siteId + "/faults", "{\"latency_ms\":5}");

        SimulatorClient.Reply unknown = client.admin("PUT", "/workspaces/" + siteId + "/faults", "{\"bogus\":1}");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("bogus").contains("latency_ms").contains("server_error_rate").contains("surfaces");
        assertThat(workspace.faults().latencyMillis()).isEqualTo(5);
        String[][] cases = {
                {"{\"latency_ms\":-1}", "latency_ms"},
                {"{\"latency_ms\":\"slow\"}", "latency_ms"},
                {"{\"server_error_rate\":1.5}", "server_error_rate"},
                {"{\"server_error_status\":404}", "server_error_status"},
                {"{\"rate_limit_rate\":\"half\"}", "rate_limit_rate"},
                {"{\"retry_after_seconds\":-2}", "retry_after_seconds"},
                {"{\"drop_rate\":2}", "drop_rate"},
                {"{\"surfaces\":\"track\"}", "surfaces"},
                {"{\"surfaces\":[\"admin\"]}", "surfaces"},
        };
        for (String[] testCase : cases) {
            SimulatorClient.Reply reply = client.admin("PUT", "/workspaces/" + siteId + "/faults", testCase[0]);
            assertThat(reply.status()).as(testCase[0]).isEqualTo(400);
            assertThat(reply.body()).as(testCase[0]).contains(testCase[1]);
            assertThat(reply.body()).as(testCase[0]).doesNotContain("latencyMillis", "serverErrorRate", "serverErrorStatus",
                    "rateLimitRate", "retryAfterSeconds", "dropRate");
        }
        assertThat(workspace.faults().latencyMillis()).isEqualTo(5);
    }

    @Test
    void adminCreatesUsableWorkspace() {
        SimulatorClient.Reply created = client.admin("POST", "/workspaces", "{\"name\":\"Standalone\",\"people\":10,\"deliveries\":30}");
        JsonNode json = created.json();
        SandboxWorkspace workspace = simulator.workspace(json.path("site_id").asText()).orElseThrow();

        assertThat(created.status()).isEqualTo(201);
        assertThat(json.path("track_url").asText()).isEqualTo(simulator.urls().track());
        assertThat(workspace.peopleCount()).isEqualTo(10);
        assertThat(client.track(workspace, "GET", "/api/v1/accounts/region", null).status()).isEqualTo(200);
        assertThat(client.admin("POST", "/workspaces", "{\"people\":100001}").status()).isEqualTo(400);
    }

    @Test
    void adminInspectsPeopleAndStats() {
        SandboxWorkspace workspace = newWorkspace();
        String siteId = workspace.credentials().siteId();
        client.track(workspace, "PUT", "/api/v1/customers/org%2F42", "{\"plan\":\"pro\"}");

        JsonNode person = client.admin("GET", "/workspaces/" + siteId + "/people/org%2F42", null).json();
        JsonNode stats = client.admin("GET", "/workspaces/" + siteId + "/stats", null).json();

        assertThat(person.path("id").asText()).isEqualTo("org/42");
        assertThat(person.path("attributes").path("plan").asText()).isEqualTo("pro");
        assertThat(stats.path("people").asInt()).isEqualTo(1);
        assertThat(stats.path("requests").path("track").asInt()).isEqualTo(1);
        assertThat(client.admin("GET", "/workspaces/" + siteId + "/people/nobody", null).status()).isEqualTo(404);
    }

    @Test
    void everyAnswerIsMarked() {
        assertThat(client.admin("GET", "/nothing", null).header("X-Cio-Sandbox")).isEqualTo("true");
        assertThat(client.send(simulator.urls().base() + "/elsewhere", "GET", null, java.util.Map.of()).header("X-Cio-Sandbox"))
                .isEqualTo("true");
    }
}
