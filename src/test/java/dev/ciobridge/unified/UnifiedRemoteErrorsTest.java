package dev.ciobridge.unified;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.ciobridge.unified.UnifiedTestSupport.assertError;
import static dev.ciobridge.unified.UnifiedTestSupport.call;
import static dev.ciobridge.unified.UnifiedTestSupport.header;
import static dev.ciobridge.unified.UnifiedTestSupport.path;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ciobridge.testing.RunningService;

/**
 * Customer.io's error bodies, in each of its envelopes, carried through the unified API, and list shapes the sandbox
 * does not produce. Customer.io is a WireMock stub on 127.0.0.1; the App API rate is raised so the tests do not wait.
 */
class UnifiedRemoteErrorsTest {

    private static WireMockServer customerIo;
    private static RunningService service;
    private static String account;

    @BeforeAll
    static void start() throws Exception {
        customerIo = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        customerIo.start();
        stubRegion();
        service = RunningService.start("http://127.0.0.1:" + customerIo.port(), Map.of(
                "customerio.app.requests-per-second", "1000",
                "customerio.transactional.requests-per-second", "1000",
                "customerio.track.requests-per-second", "1000"));
        RunningService.Reply created = service.admin("POST", "/integrated-accounts", "{\"name\":\"Stubbed\",\"region\":\"us\","
                + "\"site_id\":\"site-remote\",\"track_api_key\":\"track-key\",\"app_api_key\":\"app-key\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        account = created.json().get("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        customerIo.stop();
    }

    @BeforeEach
    void resetStub() {
        customerIo.resetAll();
        stubRegion();
    }

    private static void stubRegion() {
        customerIo.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(599).withBody("unstubbed")));
        customerIo.stubFor(get(urlEqualTo("/api/v1/accounts/region")).atPriority(1)
                .willReturn(okJson("{\"url\":\"https://track.customer.io\",\"region\":\"us\",\"environment_id\":1}")));
    }

    @Test
    void appErrorEnvelopeIsCarried() throws Exception {
        String body = "{\"errors\":[{\"detail\":\"campaign with id 5 does not exist\",\"status\":\"404\"}]}";
        customerIo.stubFor(get(urlEqualTo("/v1/campaigns/5")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody(body)));

        RunningService.Reply reply = call(service, "GET", path(account, "campaigns/5"), null);

        JsonNode error = assertError(reply, 404, "Customer.io");
        assertThat(error.get("remote_error").asBoolean()).isTrue();
        assertThat(error.get("remote_status").asInt()).isEqualTo(404);
        assertThat(error.get("remote_body").toString()).isEqualTo(body);
        assertThat(header(reply, "ratelimit-limit")).isEqualTo("1000");
        customerIo.verify(getRequestedFor(urlEqualTo("/v1/campaigns/5"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer app-key")));
    }

    @Test
    void sendAndTrackEnvelopesAreCarried() throws Exception {
        customerIo.stubFor(post(urlEqualTo("/v1/send/email")).willReturn(aResponse().withStatus(400)
                .withBody("{\"meta\":{\"error\":\"example error\"}}")));
        customerIo.stubFor(put(urlEqualTo("/api/v1/customers/u-1")).willReturn(aResponse().withStatus(400)
                .withBody("{\"meta\":{\"errors\":[\"attribute 'plan' is invalid\"]}}")));

        JsonNode send = assertError(call(service, "POST", path(account, "messages"),
                "{\"template_id\":1,\"to\":\"a@example.com\",\"contact\":{\"id\":\"u-1\"}}"), 400, "Customer.io");
        JsonNode track = assertError(call(service, "POST", path(account, "contacts"),
                "{\"id\":\"u-1\",\"custom_fields\":{\"plan\":\"x\"}}"), 400, "Customer.io");

        assertThat(send.get("remote_body").get("meta").get("error").asText()).isEqualTo("example error");
        assertThat(track.get("remote_body").get("meta").get("errors").get(0).asText()).contains("plan");
    }

    @Test
    void serverErrorBecomesBadGateway() throws Exception {
        customerIo.stubFor(get(urlEqualTo("/v1/segments")).willReturn(aResponse().withStatus(500).withBody("Server unavailable")));

        JsonNode error = assertError(call(service, "GET", path(account, "segments"), null), 502, "Customer.io");

        assertThat(error.get("remote_status").asInt()).isEqualTo(500);
        assertThat(error.get("remote_body").asText()).isEqualTo("Server unavailable");
    }

    @Test
    void rateLimitedCallIsRetried() throws Exception {
        customerIo.stubFor(get(urlEqualTo("/v1/workspaces")).inScenario("limit").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"errors\":[{\"detail\":\"rate limited\",\"status\":\"429\"}]}"))
                .willSetStateTo("open"));
        customerIo.stubFor(get(urlEqualTo("/v1/workspaces")).inScenario("limit").whenScenarioStateIs("open")
                .willReturn(okJson("{\"workspaces\":[{\"id\":7,\"name\":\"Main\"}]}")));

        RunningService.Reply reply = call(service, "GET", path(account, "workspaces"), null);

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(reply.json().get("result").get(0).get("name").asText()).isEqualTo("Main");
        customerIo.verify(2, getRequestedFor(urlEqualTo("/v1/workspaces")));
    }

    @Test
    void wholeListIsPagedLocally() throws Exception {
        StringBuilder segments = new StringBuilder("{\"segments\":[");
        for (int id = 250; id >= 1; id--) {
            segments.append("{\"id\":").append(id).append(",\"name\":\"S").append(id).append("\",\"type\":\"manual\"}")
                    .append(id > 1 ? "," : "");
        }
        customerIo.stubFor(get(urlEqualTo("/v1/segments")).willReturn(okJson(segments.append("]}").toString())));

        List<Integer> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String query = cursor == null ? path(account, "segments", "limit", "100")
                    : path(account, "segments", "limit", "100", "next_cursor", cursor);
            JsonNode page = call(service, "GET", query, null).json();
            page.get("result").forEach(segment -> ids.add(segment.get("id").asInt()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(250).isSorted().doesNotHaveDuplicates();
        customerIo.verify(3, getRequestedFor(urlEqualTo("/v1/segments")));
    }

    @Test
    void cursorListEndsWithoutNext() throws Exception {
        customerIo.stubFor(get(urlPathEqualTo("/v1/messages")).willReturn(okJson(
                "{\"messages\":[{\"id\":\"d1\",\"type\":\"email\",\"created\":1767225600,\"metrics\":{\"sent\":1767225601}}]}")));

        JsonNode page = call(service, "GET", path(account, "messages", "limit", "50"), null).json();

        assertThat(page.get("result_count").asInt()).isEqualTo(1);
        assertThat(page.get("next_cursor").isNull()).isTrue();
        assertThat(page.get("result").get(0).get("status").asText()).isEqualTo("sent");
        customerIo.verify(getRequestedFor(urlEqualTo("/v1/messages?limit=50")));
    }
}
