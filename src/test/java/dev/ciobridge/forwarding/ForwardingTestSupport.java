package dev.ciobridge.forwarding;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.ciobridge.api.Json;
import dev.ciobridge.testing.RunningService;
import dev.ciobridge.testing.StripeEvents;
import dev.ciobridge.testing.TrackApiContract;

/**
 * One running service and one WireMock stub of Customer.io on 127.0.0.1 for a test class. Every test creates its own
 * integrated account with its own site id, so the requests the stub saw for that test are the ones carrying its
 * Basic credentials.
 */
abstract class ForwardingTestSupport {

    static final String STRIPE_SECRET = "whsec_stripe_test_secret_0123456789";
    static final String EVENTS_SECRET = "whsec_" + Base64.getEncoder().encodeToString("events-test-key-0123456789".getBytes(StandardCharsets.UTF_8));
    static final Duration DELIVERY_WAIT = Duration.ofSeconds(20);

    private static final AtomicInteger SITES = new AtomicInteger();

    static WireMockServer customerIo;
    static RunningService service;

    @BeforeAll
    static void startServiceAndStub() throws Exception {
        customerIo = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        customerIo.start();
        resetStub();
        service = RunningService.start("http://127.0.0.1:" + customerIo.port(), Map.of());
    }

    @AfterAll
    static void stopServiceAndStub() throws Exception {
        if (service != null) {
            service.close();
        }
        if (customerIo != null) {
            customerIo.stop();
        }
    }

    /** Resets the stub to the default Customer.io: every workspace is in region us, every Track call gets {@code {}}. */
    static void resetStub() {
        customerIo.resetAll();
        customerIo.stubFor(any(anyUrl()).atPriority(10).willReturn(okJson("{}")));
        customerIo.stubFor(get(urlEqualTo("/api/v1/accounts/region")).atPriority(5)
                .willReturn(okJson("{\"url\":\"https://track.customer.io\",\"region\":\"us\",\"environment_id\":1}")));
    }

    /** Creates an integrated account with a new site id and both webhook secrets. */
    static Account newAccount() throws Exception {
        String siteId = "site-" + SITES.incrementAndGet() + "-" + System.nanoTime();
        String apiKey = "track-key-" + siteId;
        String body = "{\"name\":\"Test " + siteId + "\",\"region\":\"us\",\"site_id\":\"" + siteId + "\",\"track_api_key\":\""
                + apiKey + "\",\"webhook_secrets\":{\"stripe\":\"" + STRIPE_SECRET + "\",\"events\":\"" + EVENTS_SECRET + "\"}}";
        RunningService.Reply reply = service.admin("POST", "/integrated-accounts", body);
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return new Account(reply.json().get("id").asText(), siteId, apiKey);
    }

    record Account(String id, String siteId, String apiKey) {

        String authorization() {
            return "Basic " + Base64.getEncoder().encodeToString((siteId + ":" + apiKey).getBytes(StandardCharsets.UTF_8));
        }
    }

    static RunningService.Reply postStripe(Account account, byte[] body) throws Exception {
        return service.request("POST", "/webhooks/stripe/" + account.id(),
                Map.of("Stripe-Signature", StripeEvents.signature(STRIPE_SECRET, body), "Content-Type", "application/json"), body);
    }

    static RunningService.Reply postEvents(Account account, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String messageId = "msg_" + System.nanoTime();
        long timestamp = System.currentTimeMillis() / 1000;
        return service.request("POST", "/webhooks/events/" + account.id(), Map.of(
                "webhook-id", messageId,
                "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", "v1," + standardSignature(messageId, timestamp, body),
                "Content-Type", "application/json"), body);
    }

    static String standardSignature(String messageId, long timestamp, byte[] body) {
        return standardSignature(messageId, timestamp, body, EVENTS_SECRET);
    }

    /** Computes the Standard Webhooks signature of a body under a {@code whsec_<base64 key>} secret. */
    static String standardSignature(String messageId, long timestamp, byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
            mac.update((messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the Track API requests the stub received with this account's credentials, oldest first. */
    static List<LoggedRequest> trackRequests(Account account) {
        List<LoggedRequest> requests = new ArrayList<>();
        for (var event : customerIo.getAllServeEvents()) {
            LoggedRequest request = event.getRequest();
            if (account.authorization().equals(request.getHeader("Authorization"))
                    && !request.getUrl().equals("/api/v1/accounts/region")) {
                requests.add(request);
            }
        }
        requests.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
        return requests;
    }

    /**
     * Returns every operation the stub received for the account, each normalised to the Track v2 entity form, whichever
     * endpoint carried it (v2 batch, v2 entity, v1 event, v1 identify).
     */
    static List<JsonNode> operations(Account account) throws Exception {
        List<JsonNode> operations = new ArrayList<>();
        for (LoggedRequest request : trackRequests(account)) {
            operations.addAll(operationsOf(request));
        }
        return operations;
    }

    static List<JsonNode> operationsOf(LoggedRequest request) throws Exception {
        String path = request.getUrl();
        JsonNode body = Json.MAPPER.readTree(request.getBody());
        List<JsonNode> operations = new ArrayList<>();
        if (path.equals("/api/v2/batch")) {
            body.get("batch").forEach(operations::add);
        } else if (path.equals("/api/v2/entity")) {
            operations.add(body);
        } else if (path.startsWith("/api/v1/customers/")) {
            String encoded = path.substring("/api/v1/customers/".length());
            boolean event = encoded.endsWith("/events");
            String identifier = java.net.URLDecoder.decode(event ? encoded.substring(0, encoded.length() - 7) : encoded
                    .replace("+", "%2B"), StandardCharsets.UTF_8);
            ObjectNode entity = Json.MAPPER.createObjectNode();
            entity.put("type", "person");
            String type = identifier.startsWith("cio_") ? "cio_id" : identifier.contains("@") ? "email" : "id";
            entity.putObject("identifiers").put(type, type.equals("cio_id") ? identifier.substring(4) : identifier);
            if (event) {
                entity.put("action", "event");
                entity.set("id", body.get("id"));
                entity.set("name", body.get("name"));
                entity.set("timestamp", body.get("timestamp"));
                entity.set("attributes", body.get("data"));
            } else {
                ObjectNode attributes = ((ObjectNode) body).deepCopy();
                entity.put("action", "identify");
                entity.set("timestamp", attributes.remove("_timestamp"));
                entity.set("attributes", attributes);
            }
            operations.add(entity);
        } else {
            throw new AssertionError("Unexpected Track API path " + path);
        }
        return operations;
    }

    /** Events among the operations, by event name. */
    static Map<String, List<JsonNode>> eventsByName(List<JsonNode> operations) {
        Map<String, List<JsonNode>> events = new LinkedHashMap<>();
        for (JsonNode operation : operations) {
            if ("event".equals(operation.path("action").asText())) {
                events.computeIfAbsent(operation.path("name").asText(), name -> new ArrayList<>()).add(operation);
            }
        }
        return events;
    }

    /** Checks each request against Customer.io's Track API description when its folder is configured. */
    static void assertConformToTrackApi(List<LoggedRequest> requests) {
        TrackApiContract.load().ifPresent(contract -> requests.forEach(contract::assertConforms));
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static JsonNode deadLetters(Account account) throws Exception {
        RunningService.Reply reply = service.admin("GET", "/dead-letters?account_id=" + account.id(), null);
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.json().get("result");
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder status(int code) {
        return aResponse().withStatus(code).withHeader("Content-Type", "application/json");
    }
}
