package dev.ciobridge.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ciobridge.testing.RunningService;

/** The service's own API: secrets generated on first start, health, metrics and integrated accounts. */
class ServiceApiTest {

    private static final String GOOD_KEY = "track-key-good-0123456789";

    static WireMockServer customerIo;
    static RunningService service;
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        customerIo = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        customerIo.start();
        customerIo.stubFor(get(urlEqualTo("/api/v1/accounts/region")).atPriority(10)
                .willReturn(aResponse().withStatus(401)));
        customerIo.stubFor(get(urlEqualTo("/api/v1/accounts/region")).atPriority(1)
                .withHeader("Authorization", equalTo(basic("site-us", GOOD_KEY)))
                .willReturn(okJson("{\"url\":\"https://track.customer.io\",\"region\":\"us\",\"environment_id\":42}")));
        customerIo.stubFor(get(urlEqualTo("/api/v1/accounts/region")).atPriority(1)
                .withHeader("Authorization", equalTo(basic("site-eu", GOOD_KEY)))
                .willReturn(okJson("{\"url\":\"https://track-eu.customer.io\",\"region\":\"eu\",\"environment_id\":43}")));
        dataDir = Files.createTempDirectory("cio-bridge-secrets");
        // No admin token or master key configured: the service must generate both.
        service = RunningService.start("http://127.0.0.1:" + customerIo.port(), dataDir,
                Map.of("cio-bridge.admin-token", "", "cio-bridge.master-key", ""));
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

    private static String basic(String siteId, String key) {
        return "Basic " + Base64.getEncoder().encodeToString((siteId + ":" + key).getBytes(StandardCharsets.UTF_8));
    }

    private static String adminToken() throws Exception {
        return Files.readString(dataDir.resolve("admin-token")).trim();
    }

    private static RunningService.Reply admin(String method, String path, String body) throws Exception {
        Map<String, String> headers = new java.util.HashMap<>();
        headers.put("Authorization", "Bearer " + adminToken());
        headers.put("Content-Type", "application/json");
        return service.request(method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private static String account(String siteId, String key, String region) {
        return "{\"name\":\"Acme\",\"region\":\"" + region + "\",\"site_id\":\"" + siteId + "\",\"track_api_key\":\"" + key
                + "\",\"app_api_key\":\"app-key-secret-0123456789\",\"webhook_secrets\":{\"stripe\":\"whsec_abcdefghijklmnop\"}}";
    }

    @Test
    void secretsAreGeneratedOwnerOnly() throws Exception {
        for (String name : new String[] {"admin-token", "master-key"}) {
            Path file = dataDir.resolve(name);

            assertThat(file).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(Base64.getDecoder().decode(Files.readString(dataDir.resolve("master-key")).trim())).hasSize(32);
    }

    @Test
    void healthAndMetricsAnswer() throws Exception {
        RunningService.Reply health = service.request("GET", "/observe/health", Map.of(), null);
        RunningService.Reply metrics = service.request("GET", "/observe/metrics", Map.of(), null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("cio_bridge_outbox_pending").contains("jvm_memory_used_bytes");
    }

    @Test
    void unknownPathIsJsonNotFound() throws Exception {
        RunningService.Reply reply = service.request("GET", "/no/such/path", Map.of(), null);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("message").asText()).contains("/no/such/path");
    }

    @Test
    void oversizedBodyIsJsonPayloadTooLarge() throws Exception {
        byte[] body = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) ' ');
        RunningService.Reply reply = service.request("POST", "/webhooks/events/acc_x",
                Map.of("Content-Type", "application/json"), body);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().get("message").asText()).contains("cio-bridge.webhooks.max-body-bytes");
    }

    @Test
    void wrongMethodIsJsonNotAllowed() throws Exception {
        RunningService.Reply reply = service.request("GET", "/webhooks/events/acc_x", Map.of(), null);

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.json().get("message").asText()).contains("GET");
    }

    @Test
    void adminApiRequiresToken() throws Exception {
        RunningService.Reply none = service.request("GET", "/integrated-accounts", Map.of(), null);
        RunningService.Reply wrong = service.request("GET", "/integrated-accounts", Map.of("Authorization", "Bearer nope"), null);

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("message").asText()).contains("Authorization: Bearer");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(service.request("GET", "/dead-letters", Map.of(), null).status()).isEqualTo(401);
    }

    @Test
    void accountSecretsAreMaskedAndEncrypted() throws Exception {
        RunningService.Reply created = admin("POST", "/integrated-accounts", account("site-us", GOOD_KEY, "us"));

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode view = created.json();
        assertThat(view.get("environment_id").asLong()).isEqualTo(42);
        assertThat(view.get("track_api_key").asText()).isEqualTo("****6789");
        assertThat(view.get("app_api_key").asText()).isEqualTo("****6789");
        assertThat(view.get("webhook_secrets").get("stripe").asText()).isEqualTo("****mnop");
        String id = view.get("id").asText();
        RunningService.Reply one = admin("GET", "/integrated-accounts/" + id, null);
        RunningService.Reply all = admin("GET", "/integrated-accounts", null);
        assertThat(one.text()).doesNotContain(GOOD_KEY).doesNotContain("whsec_abcdefghijklmnop");
        assertThat(all.text()).contains(id).doesNotContain(GOOD_KEY);
        assertThat(databaseDump()).doesNotContain(GOOD_KEY).doesNotContain("app-key-secret").doesNotContain("whsec_abcdefghijklmnop");

        RunningService.Reply deleted = admin("DELETE", "/integrated-accounts/" + id, null);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(admin("GET", "/integrated-accounts/" + id, null).status()).isEqualTo(404);
        assertThat(admin("DELETE", "/integrated-accounts/" + id, null).status()).isEqualTo(404);
    }

    @Test
    void badCredentialsAreRejected() throws Exception {
        RunningService.Reply reply = admin("POST", "/integrated-accounts", account("site-us", "wrong-key", "us"));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("message").asText()).contains("rejected the Track API credentials");
    }

    @Test
    void regionMismatchIsRejected() throws Exception {
        RunningService.Reply reply = admin("POST", "/integrated-accounts", account("site-eu", GOOD_KEY, "us"));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("message").asText()).contains("region 'eu'");
        assertThat(admin("POST", "/integrated-accounts", account("site-eu", GOOD_KEY, "eu")).status()).isEqualTo(201);
    }

    @Test
    void invalidAccountBodiesNameTheField() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"region\":\"us\",\"site_id\":\"s\",\"track_api_key\":\"k\"}", "'name'");
        cases.put("{\"name\":\"a\",\"region\":\"mars\",\"site_id\":\"s\",\"track_api_key\":\"k\"}", "region");
        cases.put("{\"name\":\"a\",\"region\":\"us\",\"track_api_key\":\"k\"}", "'site_id'");
        cases.put("{\"name\":\"a\",\"region\":\"us\",\"site_id\":\"s\"}", "'track_api_key'");
        cases.put("{\"name\":\"a\",\"region\":\"us\",\"site_id\":7,\"track_api_key\":\"k\"}", "'site_id' must be a string");
        cases.put("{\"name\":\"a\",\"region\":\"us\",\"site_id\":\"s\",\"track_api_key\":\"k\",\"webhook_secrets\":{\"paypal\":\"x\"}}", "paypal");
        cases.put("{\"name\":\"a\",\"region\":\"us\",\"site_id\":\"s\",\"track_api_key\":\"k\",\"trackApiKey\":\"x\"}", "trackApiKey");
        cases.put("[1]", "JSON object");
        cases.put("{\"name\":\"a\",\"region\":\"us\",\"site_id\":\"s\",\"track_api_key\":\"k\",\"webhook_secrets\":{\"events\":\"whsec_!!!\"}}", "webhook_secrets.events");
        cases.put("{", "Malformed JSON");
        cases.put("", "empty");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            RunningService.Reply reply = admin("POST", "/integrated-accounts", entry.getKey());

            assertThat(reply.status()).as(entry.getKey()).isEqualTo(400);
            assertThat(reply.json().get("message").asText()).as(entry.getKey()).contains(entry.getValue());
        }
    }

    @Test
    void deadLetterApiValidatesInput() throws Exception {
        assertThat(admin("GET", "/dead-letters?limit=0", null).status()).isEqualTo(400);
        assertThat(admin("GET", "/dead-letters?next_cursor=abc", null).status()).isEqualTo(400);
        assertThat(admin("POST", "/dead-letters/999999/replay", null).status()).isEqualTo(404);
        assertThat(admin("POST", "/dead-letters/x/replay", null).status()).isEqualTo(400);
    }

    /** Returns every stored value of the accounts table, to check that no secret is stored in clear. */
    private static String databaseDump() throws Exception {
        StringBuilder dump = new StringBuilder();
        javax.sql.DataSource dataSource = service.main().getCamelContext().getRegistry()
                .lookupByNameAndType("dataSource", javax.sql.DataSource.class);
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM integrated_account")) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int i = 1; i <= columns; i++) {
                    dump.append(rows.getString(i)).append('\n');
                }
            }
        }
        return dump.toString();
    }
}
