package dev.ciobridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AppApiSimulatorTest {

    private static CioSimulator simulator;
    private static SimulatorClient client;
    /** Seeded workspace without the App API limit, so paging tests are not slowed to 10 requests per second. */
    private static SandboxWorkspace seeded;

    @BeforeAll
    static void startSimulator() {
        simulator = CioSimulator.start();
        client = new SimulatorClient(simulator.urls());
        seeded = simulator.createWorkspace(WorkspaceSpec.defaults().withSeed(7).withData(2_000, 20_000).withRateLimits(0, 0, 0));
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    private static SimulatorClient.Reply get(String pathAndQuery) {
        return client.app(seeded, "GET", pathAndQuery, null);
    }

    @Test
    void missingTokenGets401() {
        SimulatorClient.Reply reply = client.appWithToken(null, "GET", "/v1/campaigns", null);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().path("errors").get(0).path("status").asText()).isEqualTo("401");
        assertThat(reply.header("X-Cio-Sandbox")).isEqualTo("true");
    }

    @Test
    void trackKeyIsRejectedOnApp() {
        SimulatorClient.Reply reply = client.appWithToken("Bearer " + seeded.credentials().trackApiKey(), "GET", "/v1/campaigns", null);

        assertThat(reply.status()).isEqualTo(401);
    }

    @Test
    void customersByEmail() {
        JsonNode found = get("/v1/customers?email=PERSON5%40example.com").json();
        JsonNode missing = get("/v1/customers?email=nobody%40example.com").json();

        assertThat(found.path("results")).hasSize(1);
        assertThat(found.path("results").get(0).path("id").asText()).isEqualTo("user-5");
        assertThat(missing.path("results")).isEmpty();
    }

    @Test
    void attributesAreStrings() {
        JsonNode customer = get("/v1/customers/user-5/attributes").json().path("customer");
        JsonNode byEmail = get("/v1/customers/person5%40example.com/attributes?id_type=email").json().path("customer");

        assertThat(customer.path("attributes").path("created_at").isTextual()).isTrue();
        assertThat(customer.path("attributes").path("plan").asText()).isNotEmpty();
        assertThat(byEmail.path("id").asText()).isEqualTo("user-5");
    }

    @Test
    void attributesOfManyKeepOrderAndSkipUnknownIds() {
        SimulatorClient.Reply reply = client.app(seeded, "POST", "/v1/customers/attributes?id_type=id",
                "{\"ids\":[\"user-7\",\"nobody\",\"user-3\"]}");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode customers = reply.json().path("customers");
        assertThat(customers).hasSize(2);
        assertThat(customers.get(0).path("customer").path("id").asText()).isEqualTo("user-7");
        assertThat(customers.get(1).path("customer").path("id").asText()).isEqualTo("user-3");
        assertThat(customers.get(0).path("customer")).isEqualTo(get("/v1/customers/user-7/attributes").json().path("customer"));
    }

    @Test
    void attributesOfManyTakeOneToHundredIds() {
        StringBuilder ids = new StringBuilder("{\"ids\":[");
        for (int i = 0; i < 101; i++) {
            ids.append(i == 0 ? "" : ",").append("\"user-").append(i).append('"');
        }
        ids.append("]}");

        assertThat(client.app(seeded, "POST", "/v1/customers/attributes", ids.toString()).status()).isEqualTo(400);
        assertThat(client.app(seeded, "POST", "/v1/customers/attributes", "{\"ids\":[]}").status()).isEqualTo(400);
        assertThat(client.app(seeded, "POST", "/v1/customers/attributes?id_type=phone", "{\"ids\":[\"1\"]}").status())
                .isEqualTo(400);
    }

    @Test
    void unknownPersonGets404() {
        SimulatorClient.Reply reply = get("/v1/customers/nobody/attributes");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("errors").get(0).path("status").asText()).isEqualTo("404");
    }

    @Test
    void searchPagesThroughAllMatches() {
        String filter = "{\"filter\":{\"and\":[{\"attribute\":{\"field\":\"plan\",\"operator\":\"eq\",\"value\":\"pro\"}},"
                + "{\"not\":{\"attribute\":{\"field\":\"country\",\"operator\":\"eq\",\"value\":\"us\"}}}]}}";
        long expected = seeded.people().stream()
                .filter(person -> "pro".equals(person.attribute("plan")) && !"us".equals(person.attribute("country")))
                .count();

        Set<String> seen = new HashSet<>();
        String next = "";
        int pages = 0;
        do {
            String query = "/v1/customers?limit=20" + (next.isEmpty() ? "" : "&start=" + next);
            JsonNode page = client.app(seeded, "POST", query, filter).json();
            page.path("identifiers").forEach(identifiers -> seen.add(identifiers.path("cio_id").asText()));
            assertThat(page.path("identifiers").size()).isLessThanOrEqualTo(20);
            next = page.path("next").asText();
            pages++;
        } while (!next.isEmpty());

        assertThat(expected).isGreaterThan(60);
        assertThat(pages).isGreaterThan(3);
        assertThat(seen).hasSize((int) expected);
    }

    @Test
    void searchLimitAboveMaxIsRejected() {
        SimulatorClient.Reply reply = client.app(seeded, "POST", "/v1/customers?limit=1001",
                "{\"filter\":{\"attribute\":{\"field\":\"plan\",\"operator\":\"exists\"}}}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("errors").get(0).path("detail").asText()).contains("1000");
    }

    @Test
    void searchRejectsInvalidFilter() {
        SimulatorClient.Reply reply = client.app(seeded, "POST", "/v1/customers",
                "{\"filter\":{\"attribute\":{\"field\":\"plan\",\"operator\":\"like\"}}}");

        assertThat(reply.status()).isEqualTo(400);
    }

    @Test
    void messagesPageNewestFirst() {
        List<String> ids = new ArrayList<>();
        String next = "";
        long previousCreated = Long.MAX_VALUE;
        do {
            JsonNode page = get("/v1/messages?limit=1000" + (next.isEmpty() ? "" : "&start=" + next)).json();
            for (JsonNode message : page.path("messages")) {
                ids.add(message.path("id").asText());
                assertThat(message.path("created").asLong()).isLessThanOrEqualTo(previousCreated);
                previousCreated = message.path("created").asLong();
            }
            next = page.path("next").asText();
        } while (!next.isEmpty());

        assertThat(ids).hasSize(20_000);
        assertThat(new HashSet<>(ids)).hasSize(20_000);
    }

    @Test
    void messagesLimitAboveMaxIsRejected() {
        assertThat(get("/v1/messages?limit=1001").status()).isEqualTo(400);
        assertThat(get("/v1/messages?limit=0").status()).isEqualTo(400);
        assertThat(get("/v1/messages?start=not-a-cursor").status()).isEqualTo(400);
    }

    @Test
    void messagesFilterByTypeMetricAndCampaign() {
        JsonNode page = get("/v1/messages?limit=200&type=email&metric=opened&campaign_id=3").json();

        assertThat(page.path("messages")).isNotEmpty();
        for (JsonNode message : page.path("messages")) {
            assertThat(message.path("type").asText()).isEqualTo("email");
            assertThat(message.path("campaign_id").asInt()).isEqualTo(3);
            assertThat(message.path("metrics").has("opened")).isTrue();
        }
    }

    @Test
    void messagesFilterByTimeWindow() {
        JsonNode first = get("/v1/messages?limit=1").json().path("messages").get(0);
        long newest = first.path("created").asLong();

        JsonNode page = get("/v1/messages?limit=1000&start_ts=" + (newest - 86_400) + "&end_ts=" + newest).json();

        assertThat(page.path("messages")).isNotEmpty();
        page.path("messages").forEach(message ->
                assertThat(message.path("created").asLong()).isBetween(newest - 86_400, newest));
    }

    @Test
    void messageById() {
        String id = get("/v1/messages?limit=1").json().path("messages").get(0).path("id").asText();

        assertThat(get("/v1/messages/" + id).json().path("message").path("id").asText()).isEqualTo(id);
        assertThat(get("/v1/messages/nope").status()).isEqualTo(404);
    }

    @Test
    void personMessagesAndSegments() {
        JsonNode messages = get("/v1/customers/user-0/messages?limit=5").json();
        JsonNode segments = get("/v1/customers/user-0/segments").json();

        assertThat(messages.path("messages")).hasSize(5);
        messages.path("messages").forEach(message ->
                assertThat(message.path("customer_identifiers").path("id").asText()).isEqualTo("user-0"));
        assertThat(messages.path("next").asText()).isNotEmpty();
        // Every fiftieth seeded person, user-0 included, is in the manual "VIP" segment 4.
        assertThat(segments.path("segments").findValuesAsText("name")).contains("VIP", "Has an email");
    }

    @Test
    void segmentsListReadAndCount() {
        JsonNode list = get("/v1/segments").json().path("segments");
        JsonNode vip = get("/v1/segments/4").json().path("segment");
        JsonNode count = get("/v1/segments/4/customer_count").json();

        assertThat(list.size()).isGreaterThanOrEqualTo(4);
        assertThat(vip.path("type").asText()).isEqualTo("manual");
        assertThat(count.path("count").asInt()).isEqualTo(40);
        assertThat(get("/v1/segments/999").status()).isEqualTo(404);
    }

    @Test
    void segmentMembershipPages() {
        int expected = seeded.segmentMembers(1).size();
        Set<String> seen = new HashSet<>();
        String next = "";
        int pages = 0;
        do {
            JsonNode page = get("/v1/segments/1/membership?limit=100" + (next.isEmpty() ? "" : "&start=" + next)).json();
            page.path("identifiers").forEach(identifiers -> seen.add(identifiers.path("cio_id").asText()));
            next = page.path("next").asText();
            pages++;
        } while (!next.isEmpty());

        assertThat(pages).isGreaterThan(3);
        assertThat(seen).hasSize(expected);
        assertThat(get("/v1/segments/1/membership?limit=30001").status()).isEqualTo(400);
    }

    @Test
    void manualSegmentCreateAndDelete() {
        SimulatorClient.Reply created = client.app(seeded, "POST", "/v1/segments",
                "{\"segment\":{\"name\":\"Beta testers\",\"description\":\"from the test\"}}");
        int id = created.json().path("segment").path("id").asInt();

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().path("segment").path("type").asText()).isEqualTo("manual");
        assertThat(client.app(seeded, "DELETE", "/v1/segments/" + id, null).status()).isEqualTo(204);
        assertThat(get("/v1/segments/" + id).status()).isEqualTo(404);
        assertThat(client.app(seeded, "DELETE", "/v1/segments/1", null).status()).isEqualTo(400);
    }

    @Test
    void campaignsAndMetrics() {
        JsonNode campaigns = get("/v1/campaigns").json().path("campaigns");
        JsonNode campaign = get("/v1/campaigns/2").json().path("campaign");
        JsonNode metrics = get("/v1/campaigns/2/metrics").json().path("metric").path("series");

        assertThat(campaigns).hasSize(Catalog.CAMPAIGNS);
        assertThat(campaign.path("id").asInt()).isEqualTo(2);
        assertThat(metrics.path("sent").get(0).asLong()).isGreaterThan(0);
        assertThat(metrics.path("opened").get(0).asLong()).isLessThan(metrics.path("sent").get(0).asLong());
    }

    @Test
    void newslettersPageWithMaxLimit() {
        JsonNode first = get("/v1/newsletters?limit=20").json();
        JsonNode second = get("/v1/newsletters?limit=20&start=" + first.path("next").asText()).json();

        assertThat(first.path("newsletters")).hasSize(20);
        assertThat(second.path("newsletters")).hasSize(Catalog.NEWSLETTERS - 20);
        assertThat(second.path("next").asText()).isEmpty();
        assertThat(get("/v1/newsletters?limit=101").status()).isEqualTo(400);
    }

    @Test
    void transactionalTemplatesAndContents() {
        assertThat(get("/v1/transactional").json().path("messages")).hasSize(Catalog.TEMPLATES.size());
        assertThat(get("/v1/transactional/1").json().path("message").path("name").asText()).isEqualTo("password_reset");
        assertThat(get("/v1/transactional/1/contents").json().path("contents")).hasSize(1);
        assertThat(get("/v1/transactional/99").status()).isEqualTo(404);
    }

    @Test
    void senderIdentitiesAndWorkspaces() {
        JsonNode senders = get("/v1/sender_identities?limit=5").json();
        JsonNode workspaces = get("/v1/workspaces").json().path("workspaces");

        assertThat(senders.path("sender_identities")).hasSize(5);
        assertThat(senders.path("next").asText()).isNotEmpty();
        assertThat(workspaces.get(0).path("people").asInt()).isEqualTo(seeded.peopleCount());
    }

    @Test
    void appLimitAnswers429WithRetryAfter() {
        SandboxWorkspace limited = simulator.createWorkspace(WorkspaceSpec.defaults());
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.urls().app() + "/v1/campaigns"))
                    .header("Authorization", "Bearer " + limited.credentials().appApiKey())
                    .GET().build();
            replies.add(client.http().sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> limitedReplies = replies.stream().map(CompletableFuture::join)
                .filter(reply -> reply.statusCode() == 429).toList();

        assertThat(limitedReplies).isNotEmpty();
        HttpResponse<String> reply = limitedReplies.get(0);
        assertThat(reply.headers().firstValue("Retry-After")).contains("1");
        JsonNode error = SimulatorClient.parse(reply.body()).path("errors").get(0);
        assertThat(error.path("status").asText()).isEqualTo("429");
        assertThat(error.path("detail").asText()).startsWith("rate limited to 10 requests per 1s");
    }
}
