package dev.ciobridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

class TrackV2SimulatorTest extends SimulatorTestSupport {


    @Test
    void entityIdentifiesPerson() {
        SimulatorClient.Reply reply = client.track(workspace, "POST", "/api/v2/entity",
                "{\"type\":\"person\",\"identifiers\":{\"id\":\"42\"},\"action\":\"identify\",\"attributes\":{\"plan\":\"pro\"}}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(workspace.person("42").orElseThrow().attribute("plan")).isEqualTo("pro");
    }

    @Test
    void entityEventByEmail() {
        client.track(workspace, "POST", "/api/v2/entity",
                "{\"type\":\"person\",\"identifiers\":{\"email\":\"a@example.com\"},\"action\":\"event\",\"name\":\"purchase\","
                        + "\"attributes\":{\"sku\":\"s1\"},\"timestamp\":1700000000,\"id\":\"01HB4HBDKTFWYZCK01DMRSWRFD\"}");

        assertThat(workspace.events("a@example.com")).singleElement()
                .satisfies(event -> assertThat(event.data().path("sku").asText()).isEqualTo("s1"));
    }

    @Test
    void invalidEntityGets400() {
        SimulatorClient.Reply reply = client.trackUnchecked(SimulatorClient.trackAuth(workspace), "POST", "/api/v2/entity",
                "{\"type\":\"person\",\"identifiers\":{\"id\":\"42\"},\"action\":\"fly\"}");

        assertThat(reply.status()).isEqualTo(400);
        JsonNode error = reply.json().path("errors").get(0);
        assertThat(error.path("field").asText()).isEqualTo("action");
        assertThat(error.path("reason").asText()).isEqualTo("invalid");
        assertThat(error.path("message").asText()).contains("fly");
    }

    @Test
    void oversizeEntityGets400() {
        String body = "{\"type\":\"person\",\"identifiers\":{\"id\":\"42\"},\"action\":\"event\",\"name\":\"big\","
                + "\"attributes\":{\"k\":\"" + "x".repeat(33_000) + "\"}}";

        SimulatorClient.Reply reply = client.trackUnchecked(SimulatorClient.trackAuth(workspace), "POST", "/api/v2/entity", body);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("errors").get(0).path("reason").asText()).isEqualTo("too_large");
    }

    @Test
    void batchAppliesAllValidItems() {
        SimulatorClient.Reply reply = client.track(workspace, "POST", "/api/v2/batch", "{\"batch\":["
                + "{\"type\":\"person\",\"identifiers\":{\"id\":\"1\"},\"action\":\"identify\",\"attributes\":{\"plan\":\"pro\"}},"
                + "{\"type\":\"person\",\"identifiers\":{\"id\":\"1\"},\"action\":\"event\",\"name\":\"login\"},"
                + "{\"type\":\"object\",\"identifiers\":{\"object_type_id\":\"1\",\"object_id\":\"acme\"},\"action\":\"identify\","
                + "\"attributes\":{\"name\":\"Acme\"}}]}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{}");
        assertThat(workspace.person("1").orElseThrow().attribute("plan")).isEqualTo("pro");
        assertThat(workspace.events("1")).hasSize(1);
        assertThat(workspace.objects()).containsKey("1:acme");
    }

    @Test
    void batchPartialFailureGets207() {
        SimulatorClient.Reply reply = client.trackUnchecked(SimulatorClient.trackAuth(workspace), "POST", "/api/v2/batch",
                "{\"batch\":["
                        + "{\"type\":\"person\",\"identifiers\":{\"id\":\"1\"},\"action\":\"identify\",\"attributes\":{\"plan\":\"pro\"}},"
                        + "{\"type\":\"person\",\"identifiers\":{\"id\":\"2\"},\"action\":\"event\"},"
                        + "{\"type\":\"person\",\"identifiers\":{\"id\":\"3\"},\"action\":\"event\",\"name\":\"" + "n".repeat(101) + "\"},"
                        + "{\"type\":\"person\",\"identifiers\":{\"id\":\"4\"},\"action\":\"identify\"}]}");

        assertThat(reply.status()).isEqualTo(207);
        JsonNode errors = reply.json().path("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).path("batch_index").asInt()).isEqualTo(1);
        assertThat(errors.get(0).path("field").asText()).isEqualTo("name");
        assertThat(errors.get(0).path("reason").asText()).isEqualTo("required");
        assertThat(errors.get(1).path("batch_index").asInt()).isEqualTo(2);
        assertThat(errors.get(1).path("reason").asText()).isEqualTo("too_long");
        assertThat(workspace.person("1")).isPresent();
        assertThat(workspace.person("4")).isPresent();
        assertThat(workspace.person("2")).isEmpty();
    }

    @Test
    void batchWithoutArrayGets400() {
        SimulatorClient.Reply reply = client.trackUnchecked(SimulatorClient.trackAuth(workspace), "POST", "/api/v2/batch",
                "{\"items\":[]}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo("batch");
    }

    @Test
    void oversizeBatchGets400() {
        StringBuilder body = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 20; i++) {
            body.append(i == 0 ? "" : ",").append("{\"type\":\"person\",\"identifiers\":{\"id\":\"").append(i)
                    .append("\"},\"action\":\"event\",\"name\":\"e\",\"attributes\":{\"k\":\"").append("x".repeat(26_000)).append("\"}}");
        }
        body.append("]}");

        SimulatorClient.Reply reply = client.trackUnchecked(SimulatorClient.trackAuth(workspace), "POST", "/api/v2/batch",
                body.toString());

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("errors").get(0).path("reason").asText()).isEqualTo("too_large");
        assertThat(workspace.peopleCount()).isZero();
    }

    @Test
    void oversizeBatchItemIsListed() {
        String body = "{\"batch\":["
                + "{\"type\":\"person\",\"identifiers\":{\"id\":\"1\"},\"action\":\"identify\"},"
                + "{\"type\":\"person\",\"identifiers\":{\"id\":\"2\"},\"action\":\"event\",\"name\":\"e\",\"attributes\":{\"k\":\""
                + "x".repeat(33_000) + "\"}}]}";

        SimulatorClient.Reply reply = client.trackUnchecked(SimulatorClient.trackAuth(workspace), "POST", "/api/v2/batch", body);

        assertThat(reply.status()).isEqualTo(207);
        assertThat(reply.json().path("errors").get(0).path("batch_index").asInt()).isEqualTo(1);
        assertThat(reply.json().path("errors").get(0).path("reason").asText()).isEqualTo("too_large");
    }

    @Test
    void batchDeduplicatesByUlid() {
        String event = "{\"type\":\"person\",\"identifiers\":{\"id\":\"1\"},\"action\":\"event\",\"name\":\"paid\","
                + "\"id\":\"01HB4HBDKTFWYZCK01DMRSWRFD\"}";

        client.track(workspace, "POST", "/api/v2/batch", "{\"batch\":[" + event + "," + event + "]}");
        client.track(workspace, "POST", "/api/v2/batch", "{\"batch\":[" + event + "]}");

        assertThat(workspace.events("1")).hasSize(1);
        assertThat(workspace.duplicateEventsIgnored()).isEqualTo(2);
    }

    @Test
    void v2MissingCredentialsGet401() {
        SimulatorClient.Reply reply = client.trackUnchecked(null, "POST", "/api/v2/batch", "{\"batch\":[]}");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().path("errors").get(0).path("reason").asText()).isEqualTo("unauthorized");
    }
}
