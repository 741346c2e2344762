package dev.ciobridge.forwarding;

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
import java.util.Base64;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ciobridge.testing.RunningService;
import dev.ciobridge.testing.StripeEvents;

/**
 * The same flow on PostgreSQL (127.0.0.1:5432, database {@code test}), in a schema of its own that the test drops.
 * Skipped when no PostgreSQL server responds there.
 */
class PostgresForwardingTest {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";

    private final String schema = "cio_bridge_test_" + Long.toHexString(System.nanoTime());
    private WireMockServer customerIo;
    private RunningService service;

    @BeforeEach
    void start() throws Exception {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            Assumptions.abort("No PostgreSQL at " + SERVER + " (" + e.getMessage() + ")");
        }
        customerIo = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        customerIo.start();
        customerIo.stubFor(any(anyUrl()).atPriority(10).willReturn(okJson("{}")));
        customerIo.stubFor(get(urlEqualTo("/api/v1/accounts/region")).atPriority(1)
                .willReturn(okJson("{\"url\":\"https://track.customer.io\",\"region\":\"us\",\"environment_id\":1}")));
        service = RunningService.start("http://127.0.0.1:" + customerIo.port(), Map.of(
                "cio-bridge.db.url", SERVER + "?currentSchema=" + schema,
                "cio-bridge.db.username", USER));
    }

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (customerIo != null) {
            customerIo.stop();
        }
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void stripeEventDeliveredOnceOnPostgres() throws Exception {
        String secret = "whsec_pg_test_secret_0123456789";
        RunningService.Reply created = service.admin("POST", "/integrated-accounts", "{\"name\":\"PG\",\"region\":\"us\","
                + "\"site_id\":\"pg-site\",\"track_api_key\":\"pg-key\",\"webhook_secrets\":{\"stripe\":\"" + secret + "\"}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String account = created.json().get("id").asText();
        byte[] body = StripeEvents.sample("customer.subscription.updated");
        Map<String, String> headers = Map.of("Stripe-Signature", StripeEvents.signature(secret, body), "Content-Type", "application/json");

        RunningService.Reply first = service.request("POST", "/webhooks/stripe/" + account, headers, body);
        RunningService.Reply second = service.request("POST", "/webhooks/stripe/" + account, headers, body);

        assertThat(first.json().get("status").asText()).as(first.text()).isEqualTo("accepted");
        assertThat(second.json().get("status").asText()).isEqualTo("duplicate");
        String authorization = "Basic " + Base64.getEncoder().encodeToString("pg-site:pg-key".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(20)).until(() -> customerIo.getAllServeEvents().stream()
                .anyMatch(event -> event.getRequest().getUrl().equals("/api/v2/batch")));
        long trackCalls = customerIo.getAllServeEvents().stream()
                .filter(event -> authorization.equals(event.getRequest().getHeader("Authorization")))
                .filter(event -> !event.getRequest().getUrl().contains("accounts/region"))
                .count();
        assertThat(trackCalls).isEqualTo(1);
        String batch = customerIo.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().equals("/api/v2/batch"))
                .findFirst().orElseThrow().getRequest().getBodyAsString();
        assertThat(batch).contains("\"subscription_status\":\"past_due\"").contains("\"name\":\"customer_subscription_updated\"");
    }
}
