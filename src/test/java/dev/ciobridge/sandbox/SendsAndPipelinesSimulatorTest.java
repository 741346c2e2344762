package dev.ciobridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendsAndPipelinesSimulatorTest extends SimulatorTestSupport {

    @Override
    WorkspaceSpec spec() {
        return WorkspaceSpec.defaults().withRateLimits(0, 0, 0);
    }

    private String pipelinesAuth() {
        return SimulatorClient.basic(workspace.credentials().pipelinesKey(), "");
    }

    @Test
    void sendEmailRecordsDelivery() {
        SimulatorClient.Reply reply = client.app(workspace, "POST", "/v1/send/email",
                "{\"transactional_message_id\":\"password_reset\",\"to\":\"a@example.com\",\"identifiers\":{\"id\":\"42\"},"
                        + "\"message_data\":{\"token\":\"abc\"}}");

        assertThat(reply.status()).isEqualTo(200);
        String deliveryId = reply.json().path("delivery_id").asText();
        assertThat(reply.json().path("queued_at").asLong()).isPositive();
        assertThat(workspace.deliveryCount()).isEqualTo(1);
        assertThat(workspace.transactionalDeliveries()).singleElement()
                .satisfies(delivery -> assertThat(delivery.deliveryId()).isEqualTo(deliveryId));
        assertThat(client.app(workspace, "GET", "/v1/messages/" + deliveryId, null).json()
                .path("message").path("recipient").asText()).isEqualTo("a@example.com");
    }

    @Test
    void sendSmsAndPush() {
        SimulatorClient.Reply sms = client.app(workspace, "POST", "/v1/send/sms",
                "{\"transactional_message_id\":4,\"to\":\"+15555550100\",\"identifiers\":{\"id\":\"42\"}}");
        SimulatorClient.Reply push = client.app(workspace, "POST", "/v1/send/push",
                "{\"transactional_message_id\":\"order_shipped\",\"identifiers\":{\"id\":\"42\"}}");

        assertThat(sms.status()).isEqualTo(200);
        assertThat(push.status()).isEqualTo(200);
        assertThat(workspace.transactionalDeliveries()).extracting(DeliveryRecord::type).containsExactly("twilio", "push");
    }

    @Test
    void sendErrorsUseMetaError() {
        SimulatorClient.Reply noTo = client.app(workspace, "POST", "/v1/send/email",
                "{\"transactional_message_id\":1,\"identifiers\":{\"id\":\"42\"}}");
        SimulatorClient.Reply noIdentifiers = client.app(workspace, "POST", "/v1/send/email",
                "{\"transactional_message_id\":1,\"to\":\"a@example.com\"}");
        SimulatorClient.Reply unknownTemplate = client.app(workspace, "POST", "/v1/send/email",
                "{\"transactional_message_id\":\"nope\",\"to\":\"a@example.com\",\"identifiers\":{\"id\":\"42\"}}");

        assertThat(noTo.status()).isEqualTo(400);
        assertThat(noTo.json().path("meta").path("error").asText()).contains("to");
        assertThat(noIdentifiers.status()).isEqualTo(400);
        assertThat(unknownTemplate.status()).isEqualTo(404);
        assertThat(workspace.deliveryCount()).isZero();
    }

    @Test
    void transactionalLimitIsConfigurable() {
        SandboxWorkspace limited = simulator.createWorkspace(WorkspaceSpec.defaults().withRateLimits(0, 0, 1));
        String send = "{\"transactional_message_id\":1,\"to\":\"a@example.com\",\"identifiers\":{\"id\":\"42\"}}";

        int limitedCount = 0;
        for (int i = 0; i < 5; i++) {
            SimulatorClient.Reply reply = client.app(limited, "POST", "/v1/send/email", send);
            if (reply.status() == 429) {
                limitedCount++;
                assertThat(reply.json().path("meta").path("error").asText()).contains("rate limited");
            }
        }

        assertThat(limitedCount).isPositive();
    }

    @Test
    void pipelinesIdentifyAndTrack() {
        SimulatorClient.Reply identify = client.pipelines(pipelinesAuth(), false, "/v1/identify",
                "{\"userId\":\"42\",\"traits\":{\"email\":\"a@example.com\",\"plan\":\"pro\"}}");
        SimulatorClient.Reply track = client.pipelines(pipelinesAuth(), false, "/v1/track",
                "{\"userId\":\"42\",\"event\":\"Order Completed\",\"properties\":{\"total\":10}}");

        assertThat(identify.status()).isEqualTo(200);
        assertThat(identify.body()).isEqualTo("{}");
        assertThat(track.status()).isEqualTo(200);
        PersonSnapshot person = workspace.person("42").orElseThrow();
        assertThat(person.email()).isEqualTo("a@example.com");
        assertThat(person.attribute("plan")).isEqualTo("pro");
        assertThat(person.events()).singleElement().satisfies(event -> {
            assertThat(event.name()).isEqualTo("Order Completed");
            assertThat(event.surface()).isEqualTo(Surface.PIPELINES);
        });
    }

    @Test
    void pipelinesBatch() {
        SimulatorClient.Reply reply = client.pipelines(pipelinesAuth(), false, "/v1/batch", "{\"batch\":["
                + "{\"type\":\"identify\",\"userId\":\"7\",\"traits\":{\"plan\":\"free\"}},"
                + "{\"type\":\"page\",\"userId\":\"7\",\"name\":\"Home\"}]}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(workspace.person("7").orElseThrow().events()).extracting(EventRecord::type).containsExactly("page");
    }

    @Test
    void pipelinesPermissiveModeDropsInvalid() {
        SimulatorClient.Reply invalid = client.pipelines(pipelinesAuth(), false, "/v1/track", "{\"userId\":\"42\"}");
        SimulatorClient.Reply unauthenticated = client.pipelines(SimulatorClient.basic("wrong", ""), false, "/v1/track",
                "{\"userId\":\"42\",\"event\":\"x\"}");

        assertThat(invalid.status()).isEqualTo(200);
        assertThat(unauthenticated.status()).isEqualTo(200);
        assertThat(workspace.peopleCount()).isZero();
    }

    @Test
    void pipelinesStrictModeRejects() {
        SimulatorClient.Reply invalid = client.pipelines(pipelinesAuth(), true, "/v1/track", "{\"userId\":\"42\"}");
        SimulatorClient.Reply unauthenticated = client.pipelines(SimulatorClient.basic("wrong", ""), true, "/v1/track",
                "{\"userId\":\"42\",\"event\":\"x\"}");

        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("meta").path("errors").get(0).asText()).contains("event");
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(unauthenticated.header("X-Cio-Sandbox")).isEqualTo("true");
    }
}
