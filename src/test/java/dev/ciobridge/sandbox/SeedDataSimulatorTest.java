package dev.ciobridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

class SeedDataSimulatorTest extends SimulatorTestSupport {

    @Test
    void sameSeedGivesSameData() {
        SandboxWorkspace first = simulator.createWorkspace(WorkspaceSpec.defaults().withSeed(42).withData(50, 100));
        SandboxWorkspace second = simulator.createWorkspace(WorkspaceSpec.defaults().withSeed(42).withData(50, 100));

        assertThat(first.person("user-7").orElseThrow().attributes())
                .isEqualTo(second.person("user-7").orElseThrow().attributes());
        assertThat(first.credentials().siteId()).isNotEqualTo(second.credentials().siteId());
    }

    @Test
    void fullScaleWorkspaceServesPages() {
        SandboxWorkspace workspace = simulator.createWorkspace(WorkspaceSpec.defaults()
                .withData(WorkspaceSpec.MAX_PEOPLE, WorkspaceSpec.MAX_DELIVERIES).withRateLimits(0, 0, 0));

        JsonNode newest = client.app(workspace, "GET", "/v1/messages?limit=1000", null).json();
        JsonNode second = client.app(workspace, "GET", "/v1/messages?limit=1000&start=" + newest.path("next").asText(), null).json();
        JsonNode lastPerson = client.app(workspace, "GET", "/v1/customers/user-99998/attributes", null).json();

        assertThat(workspace.peopleCount()).isEqualTo(100_000);
        assertThat(workspace.deliveryCount()).isEqualTo(1_000_000);
        assertThat(newest.path("messages").get(0).path("id").asText()).endsWith("d999999");
        assertThat(second.path("messages").get(0).path("id").asText()).endsWith("d998999");
        assertThat(lastPerson.path("customer").path("id").asText()).isEqualTo("user-99998");
    }

    @Test
    void seededPersonChangesOnWrite() {
        SandboxWorkspace workspace = simulator.createWorkspace(WorkspaceSpec.defaults().withData(100, 0));

        client.track(workspace, "PUT", "/api/v1/customers/user-3", "{\"plan\":\"custom\"}");

        PersonSnapshot person = workspace.person("user-3").orElseThrow();
        assertThat(person.attribute("plan")).isEqualTo("custom");
        assertThat(person.attribute("country")).isNotNull();
    }
}
