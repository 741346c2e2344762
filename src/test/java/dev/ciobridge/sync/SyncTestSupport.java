package dev.ciobridge.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import dev.ciobridge.api.Json;
import dev.ciobridge.testing.RunningService;
import dev.ciobridge.testing.TrackApiContract;

/**
 * Shared set-up of the sync tests: an H2 source database in memory, a WireMock stub of Customer.io on 127.0.0.1, and
 * the real service. Each test creates its own account (own site id, so that the stub's requests can be attributed) and
 * loads its own sync file through Camel's YAML loader, exactly as a file under config/routes is loaded.
 */
final class SyncTestSupport {

    static final String SOURCE = "src";
    /** A schedule that never fires during a test: runs are started through the admin API. */
    static final String NEVER = "0 0 0 1 1 ? 2099";

    private static final AtomicInteger SITES = new AtomicInteger();

    final String sourceUrl = "jdbc:h2:mem:sync-source-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    final WireMockServer customerIo;
    RunningService service;
    private final Connection keepAlive;

    SyncTestSupport() throws Exception {
        keepAlive = DriverManager.getConnection(sourceUrl);
        customerIo = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        customerIo.start();
        resetStub();
    }

    static Map<String, String> serviceProperties(String sourceUrl) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("cio-bridge.sources." + SOURCE + ".url", sourceUrl);
        properties.put("cio-bridge.syncs.backoff-initial", "20ms");
        properties.put("cio-bridge.syncs.backoff-max", "200ms");
        properties.put("cio-bridge.syncs.progress-interval", "1s");
        return properties;
    }

    void start(Map<String, String> extra) throws Exception {
        Map<String, String> properties = serviceProperties(sourceUrl);
        properties.putAll(extra);
        service = RunningService.start(stubUrl(), properties);
    }

    String stubUrl() {
        return "http://127.0.0.1:" + customerIo.port();
    }

    void close() throws Exception {
        if (service != null) {
            service.close();
        }
        customerIo.stop();
        keepAlive.close();
    }

    void resetStub() {
        customerIo.resetAll();
        customerIo.stubFor(any(anyUrl()).atPriority(10).willReturn(okJson("{}")));
        customerIo.stubFor(get(urlEqualTo("/api/v1/accounts/region")).atPriority(5)
                .willReturn(okJson("{\"url\":\"https://track.customer.io\",\"region\":\"us\",\"environment_id\":1}")));
    }

    void sql(String... statements) throws SQLException {
        try (Statement statement = keepAlive.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** An integrated account on the stub, with its own site id and an App API key. */
    record Account(String id, String siteId, String apiKey, String appKey) {

        String trackAuthorization() {
            return "Basic " + Base64.getEncoder().encodeToString((siteId + ":" + apiKey).getBytes(StandardCharsets.UTF_8));
        }

        String appAuthorization() {
            return "Bearer " + appKey;
        }
    }

    Account newAccount() throws Exception {
        String siteId = "sync-site-" + SITES.incrementAndGet() + "-" + System.nanoTime();
        String apiKey = "track-key-" + siteId;
        String appKey = "app-key-" + siteId;
        String body = "{\"name\":\"Sync " + siteId + "\",\"region\":\"us\",\"site_id\":\"" + siteId + "\",\"track_api_key\":\""
                + apiKey + "\",\"app_api_key\":\"" + appKey + "\"}";
        RunningService.Reply reply = service.admin("POST", "/integrated-accounts", body);
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return new Account(reply.json().get("id").asText(), siteId, apiKey, appKey);
    }

    /** Loads a sync file into the running service, as the service loads the files under config/routes. */
    void loadSyncs(String yaml) throws Exception {
        var camel = service.main().getCamelContext();
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                ResourceHelper.fromString("sync-" + UUID.randomUUID() + ".camel.yaml", yaml));
    }

    static String attributeSync(String syncId, String accountId, String query, String idColumn, String emailColumn, String nulls) {
        StringBuilder yaml = new StringBuilder()
                .append("- templatedRoute:\n")
                .append("    routeTemplateRef: contact-attribute-sync\n")
                .append("    parameters:\n");
        parameter(yaml, "syncId", syncId);
        parameter(yaml, "account", accountId);
        parameter(yaml, "source", SOURCE);
        parameter(yaml, "query", query);
        parameter(yaml, "idColumn", idColumn);
        if (emailColumn != null) {
            parameter(yaml, "emailColumn", emailColumn);
        }
        parameter(yaml, "schedule", NEVER);
        if (nulls != null) {
            parameter(yaml, "nulls", nulls);
        }
        return yaml.toString();
    }

    static String audienceSync(String syncId, String accountId, String query, String segment, String mode) {
        StringBuilder yaml = new StringBuilder()
                .append("- templatedRoute:\n")
                .append("    routeTemplateRef: segment-audience-sync\n")
                .append("    parameters:\n");
        parameter(yaml, "syncId", syncId);
        parameter(yaml, "account", accountId);
        parameter(yaml, "source", SOURCE);
        parameter(yaml, "query", query);
        parameter(yaml, "idColumn", "id");
        parameter(yaml, "segment", segment);
        parameter(yaml, "mode", mode);
        parameter(yaml, "schedule", NEVER);
        return yaml.toString();
    }

    private static void parameter(StringBuilder yaml, String name, String value) {
        yaml.append("      - name: ").append(name).append('\n')
                .append("        value: ").append(Json.MAPPER.valueToTree(value).toString()).append('\n');
    }

    /** Starts a run through the admin API and waits until it has ended; returns the stored run with its problems. */
    JsonNode runAndWait(String syncId, boolean dryRun) throws Exception {
        RunningService.Reply started = service.admin("POST", "/syncs/" + syncId + "/runs" + (dryRun ? "?dry_run=true" : ""), null);
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        String runId = started.json().get("id").asText();
        return awaitRun(syncId, runId);
    }

    JsonNode awaitRun(String syncId, String runId) {
        JsonNode[] result = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            RunningService.Reply reply = service.admin("GET", "/syncs/" + syncId + "/runs/" + runId, null);
            result[0] = reply.json();
            return !"running".equals(result[0].path("status").asText());
        });
        return result[0];
    }

    /** The requests the stub received with the account's Track or App credentials, oldest first. */
    List<LoggedRequest> requests(Account account) {
        List<LoggedRequest> requests = new ArrayList<>();
        for (var event : customerIo.getAllServeEvents()) {
            LoggedRequest request = event.getRequest();
            String authorization = request.getHeader("Authorization");
            boolean ours = account.trackAuthorization().equals(authorization) || account.appAuthorization().equals(authorization);
            if (ours && !request.getUrl().equals("/api/v1/accounts/region")) {
                requests.add(request);
            }
        }
        requests.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        return requests;
    }

    /** Every identify the stub received for the account, by person id (a later one replaces an earlier one). */
    Map<String, List<JsonNode>> identifies(Account account) throws Exception {
        Map<String, List<JsonNode>> byPerson = new LinkedHashMap<>();
        for (LoggedRequest request : requests(account)) {
            if (!request.getUrl().equals("/api/v2/batch")) {
                continue;
            }
            for (JsonNode item : Json.MAPPER.readTree(request.getBody()).get("batch")) {
                byPerson.computeIfAbsent(item.path("identifiers").path("id").asText(), id -> new ArrayList<>()).add(item);
            }
        }
        return byPerson;
    }

    /** Checks every Track API request sent for the account against Customer.io's OpenAPI, when its folder is set. */
    void assertTrackContract(Account account) {
        List<LoggedRequest> track = requests(account).stream().filter(r -> r.getUrl().startsWith("/api/")).toList();
        TrackApiContract.load().ifPresent(contract -> track.forEach(contract::assertConforms));
    }

    static long count(JsonNode run, String name) {
        return run.path("counts").path(name).asLong(-1);
    }

    /** The run's problems of one kind, by row key. */
    static Map<String, JsonNode> problems(JsonNode run, String kind) {
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (JsonNode problem : run.path("problems")) {
            if (kind.equals(problem.path("kind").asText())) {
                byKey.put(problem.path("key").isNull() ? "row " + problem.path("row").asText() : problem.path("key").asText(), problem);
            }
        }
        return byKey;
    }
}
