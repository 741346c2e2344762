package dev.ciobridge.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ciobridge.sandbox.EmbeddedSandbox;
import dev.ciobridge.sandbox.RecordedRequest;
import dev.ciobridge.sandbox.Surface;
import dev.ciobridge.testing.RunningService;

/** The proxy API against a WireMock Customer.io on 127.0.0.1, and against the embedded sandbox. */
class ProxyApiTest {

    private static final String APP_KEY = "app-key-proxy-test";
    private static final String PIPELINES_KEY = "pipelines-key-proxy-test";
    private static WireMockServer customerIo;
    private static RunningService service;
    private static String account;
    private static String accountWithoutKeys;

    @BeforeAll
    static void start() throws Exception {
        customerIo = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        customerIo.start();
        stubDefaults();
        service = RunningService.start("http://127.0.0.1:" + customerIo.port(), Map.of());
        account = create("{\"name\":\"Proxy\",\"region\":\"us\",\"site_id\":\"site-proxy\",\"track_api_key\":\"track-key\","
                + "\"app_api_key\":\"" + APP_KEY + "\",\"pipelines_api_key\":\"" + PIPELINES_KEY + "\"}");
        accountWithoutKeys = create("{\"name\":\"Track only\",\"region\":\"us\",\"site_id\":\"site-track-only\","
                + "\"track_api_key\":\"track-key-2\"}");
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (customerIo != null) {
            customerIo.stop();
        }
    }

    @BeforeEach
    void resetStub() {
        customerIo.resetAll();
        stubDefaults();
    }

    private static void stubDefaults() {
        customerIo.stubFor(any(anyUrl()).atPriority(10).willReturn(okJson("{}")));
        customerIo.stubFor(get(urlEqualTo("/api/v1/accounts/region")).atPriority(5)
                .willReturn(okJson("{\"url\":\"https://track.customer.io\",\"region\":\"us\",\"environment_id\":1}")));
    }

    private static String create(String body) throws Exception {
        RunningService.Reply created = service.admin("POST", "/integrated-accounts", body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static RunningService.Reply proxy(String method, String path, String body) throws Exception {
        return service.admin(method, path, body);
    }

    private static String header(RunningService.Reply reply, String name) {
        return reply.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    @Test
    void forwardsAppReadsWithTheAccountsBearerKeyAndTheCallersQuery() throws Exception {
        customerIo.stubFor(get(urlPathEqualTo("/v1/workspaces")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody("{\"workspaces\":[{\"id\":7,\"name\":\"Main\"}]}")));

        RunningService.Reply reply = proxy("GET", "/proxy/app/v1/workspaces?integrated_account_id=" + account + "&sort=asc", null);

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(reply.json().get("workspaces").get(0).get("name").asText()).isEqualTo("Main");
        assertThat(header(reply, "Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(header(reply, "ratelimit-limit")).isEqualTo("10");
        assertThat(header(reply, "ratelimit-remaining")).isNotNull();
        assertThat(header(reply, "ratelimit-reset")).isNotNull();
        List<LoggedRequest> sent = customerIo.findAll(getRequestedFor(urlPathEqualTo("/v1/workspaces")));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getUrl()).isEqualTo("/v1/workspaces?sort=asc");
        assertThat(sent.get(0).getHeader("Authorization")).isEqualTo("Bearer " + APP_KEY);
    }

    @Test
    void forwardsTrackWritesWithBasicAuthAndPassesPartialFailuresThrough() throws Exception {
        String answer = "{\"errors\":[{\"batch_index\":0,\"reason\":\"invalid\",\"field\":\"identifiers\",\"message\":\"missing\"}]}";
        customerIo.stubFor(post(urlEqualTo("/api/v2/batch")).willReturn(aResponse().withStatus(207)
                .withHeader("Content-Type", "application/json").withBody(answer)));
        String batch = "{\"batch\":[{\"type\":\"person\",\"action\":\"identify\",\"identifiers\":{}}]}";

        RunningService.Reply reply = proxy("POST", "/proxy/track/api/v2/batch?integrated_account_id=" + account, batch);

        assertThat(reply.status()).isEqualTo(207);
        assertThat(reply.text()).isEqualTo(answer);
        LoggedRequest sent = customerIo.findAll(postRequestedFor(urlEqualTo("/api/v2/batch"))).get(0);
        assertThat(sent.getBodyAsString()).isEqualTo(batch);
        assertThat(sent.getHeader("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("site-proxy:track-key".getBytes(StandardCharsets.UTF_8)));
        assertThat(sent.getHeader("Content-Type")).startsWith("application/json");
    }

    @Test
    void keepsPercentEncodedSegmentsAsTheCallerSentThem() throws Exception {
        proxy("PUT", "/proxy/track/api/v1/customers/org%2F42%20x?integrated_account_id=" + account, "{\"plan\":\"pro\"}");
        assertThat(customerIo.getAllServeEvents()).anySatisfy(event ->
                assertThat(event.getRequest().getUrl()).isEqualTo("/api/v1/customers/org%2F42%20x"));
    }

    @Test
    void pipelinesCallsUseTheKeyAsBasicUser() throws Exception {
        RunningService.Reply reply = proxy("POST", "/proxy/pipelines/v1/identify?integrated_account_id=" + account,
                "{\"userId\":\"42\",\"traits\":{\"plan\":\"pro\"}}");
        assertThat(reply.status()).isEqualTo(200);
        LoggedRequest sent = customerIo.findAll(postRequestedFor(urlEqualTo("/v1/identify"))).get(0);
        assertThat(sent.getHeader("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString((PIPELINES_KEY + ":").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void absorbsACustomerIo429AndAnswersOnceItPasses() throws Exception {
        customerIo.stubFor(get(urlPathEqualTo("/v1/segments")).inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"errors\":[{\"detail\":\"rate limited to 10 requests per 1s\",\"status\":\"429\"}]}"))
                .willSetStateTo("open"));
        customerIo.stubFor(get(urlPathEqualTo("/v1/segments")).inScenario("limited").whenScenarioStateIs("open")
                .willReturn(okJson("{\"segments\":[]}")));

        RunningService.Reply reply = proxy("GET", "/proxy/app/v1/segments?integrated_account_id=" + account, null);

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(reply.text()).isEqualTo("{\"segments\":[]}");
        assertThat(customerIo.findAll(getRequestedFor(urlPathEqualTo("/v1/segments")))).hasSize(2);
    }

    @Test
    void passesCustomerIoErrorsThroughUnchanged() throws Exception {
        String body = "{\"errors\":[{\"detail\":\"segment with id 9 does not exist\",\"status\":\"404\"}]}";
        customerIo.stubFor(get(urlPathEqualTo("/v1/segments/9")).willReturn(aResponse().withStatus(404).withBody(body)));
        RunningService.Reply reply = proxy("GET", "/proxy/app/v1/segments/9?integrated_account_id=" + account, null);
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.text()).isEqualTo(body);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/proxy/app/v1/..%2F..%2Ftrack/api/v1/customers/1",
            "/proxy/app/v1/%2e%2e/x",
            "/proxy/app/v1/%2E/x",
            "/proxy/app/https:%2F%2Fexample.com%2Fv1",
            "/proxy/app/http:example.com",
            "/proxy/app/v1//segments",
            "/proxy/app/v1/segments%5c..%5cx",
            "/proxy/app/v1/../track/api/v1/customers/1",
            "/proxy/app/v1/./segments",
            "/proxy/app/v1/segments/%00",
            "/proxy/app",
            "/proxy/app/"})
    void refusesPathsThatCouldLeaveTheApi(String path) throws Exception {
        RunningService.Reply reply = proxy("GET", path + "?integrated_account_id=" + account, null);
        assertThat(reply.status()).as(path + " -> " + reply.text()).isEqualTo(400);
        assertThat(reply.json().get("message").asText()).isNotEmpty();
        assertThat(customerIo.getAllServeEvents()).isEmpty();
    }

    @Test
    void namesWhatIsMissingOrUnknown() throws Exception {
        RunningService.Reply noAccount = proxy("GET", "/proxy/app/v1/workspaces", null);
        assertThat(noAccount.status()).isEqualTo(400);
        assertThat(noAccount.json().get("message").asText()).contains("integrated_account_id");

        RunningService.Reply unknownAccount = proxy("GET", "/proxy/app/v1/workspaces?integrated_account_id=acc_nope", null);
        assertThat(unknownAccount.status()).isEqualTo(404);
        assertThat(unknownAccount.json().get("message").asText()).contains("acc_nope");

        RunningService.Reply unknownApi = proxy("GET", "/proxy/beta/v1/workspaces?integrated_account_id=" + account, null);
        assertThat(unknownApi.status()).isEqualTo(404);
        assertThat(unknownApi.json().get("message").asText()).contains("beta");

        RunningService.Reply noAppKey = proxy("GET", "/proxy/app/v1/workspaces?integrated_account_id=" + accountWithoutKeys, null);
        assertThat(noAppKey.status()).isEqualTo(422);
        assertThat(noAppKey.json().get("message").asText()).contains("app_api_key");

        RunningService.Reply otherMethod = proxy("BREW", "/proxy/app/v1/workspaces?integrated_account_id=" + account, null);
        assertThat(otherMethod.status()).isEqualTo(405);

        RunningService.Reply noToken = service.request("GET", "/proxy/app/v1/workspaces?integrated_account_id=" + account,
                Map.of(), null);
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(customerIo.getAllServeEvents()).isEmpty();
    }

    /** Fifty callers at once on one workspace at the App API's 10 per second: all wait their turn, none sees a 429. */
    @Test
    void burstOfFiftyCallsStaysUnderTheAppLimit() throws Exception {
        String sandbox = create("{\"name\":\"Burst\",\"region\":\"sandbox\",\"sandbox\":{\"people\":5,\"seed\":4}}");
        String siteId = service.admin("GET", "/integrated-accounts/" + sandbox, null).json().get("site_id").asText();
        ExecutorService callers = Executors.newFixedThreadPool(50);
        List<Future<RunningService.Reply>> replies = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                replies.add(callers.submit(() ->
                        proxy("GET", "/proxy/app/v1/segments?integrated_account_id=" + sandbox, null)));
            }
            for (Future<RunningService.Reply> reply : replies) {
                RunningService.Reply answer = reply.get(60, TimeUnit.SECONDS);
                assertThat(answer.status()).as(answer.text()).isEqualTo(200);
                assertThat(header(answer, "ratelimit-limit")).isEqualTo("10");
            }
        } finally {
            callers.shutdownNow();
        }
        EmbeddedSandbox simulator = service.main().getCamelContext().getRegistry()
                .lookupByNameAndType("embeddedSandbox", EmbeddedSandbox.class);
        List<RecordedRequest> served = simulator.find(siteId).orElseThrow().recentRequests().stream()
                .filter(request -> request.surface() == Surface.APP).toList();
        assertThat(served).hasSize(50);
        assertThat(served).allSatisfy(request -> assertThat(request.status()).isEqualTo(200));
    }

    @Test
    void reachesTheSandboxAndKeepsItsMarker() throws Exception {
        String sandbox = create("{\"name\":\"Proxy sandbox\",\"region\":\"sandbox\",\"sandbox\":{\"people\":5,\"seed\":3}}");
        RunningService.Reply reply = proxy("GET", "/proxy/app/v1/workspaces?integrated_account_id=" + sandbox, null);
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(reply.json().get("workspaces").get(0).get("name").asText()).isEqualTo("Proxy sandbox");
        assertThat(header(reply, "X-Cio-Sandbox")).isEqualTo("true");
        assertThat(customerIo.getAllServeEvents()).isEmpty();
    }
}
