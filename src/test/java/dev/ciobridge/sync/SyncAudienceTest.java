package dev.ciobridge.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ciobridge.api.Json;
import dev.ciobridge.sync.SyncTestSupport.Account;
import dev.ciobridge.testing.RunningService;

/** Segment audience syncs against a stub of the Track and App APIs, and a sync that Quartz starts on its schedule. */
class SyncAudienceTest {

    static SyncTestSupport support;

    @BeforeAll
    static void start() throws Exception {
        support = new SyncTestSupport();
        support.start(Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        support.close();
    }

    /** The ids of each add or remove call the account made, in order, as "add:[...]" or "remove:[...]". */
    private static List<String> membershipCalls(Account account, String segmentId) throws Exception {
        List<String> calls = new ArrayList<>();
        for (LoggedRequest request : support.requests(account)) {
            String prefix = "/api/v1/segments/" + segmentId + "/";
            if (request.getUrl().startsWith(prefix)) {
                assertThat(request.getUrl()).endsWith("?id_type=id");
                String action = request.getUrl().contains("add_customers") ? "add:" : "remove:";
                List<String> ids = new ArrayList<>();
                Json.MAPPER.readTree(request.getBody()).path("ids").forEach(id -> ids.add(id.asText()));
                calls.add(action + ids);
            }
        }
        return calls;
    }

    private static void segmentsExist(Account account, String json) {
        support.customerIo.stubFor(get(urlEqualTo("/v1/segments")).atPriority(1)
                .withHeader("Authorization", equalTo(account.appAuthorization())).willReturn(okJson(json)));
    }

    @Test
    void mirrorAddsAndRemoves() throws Exception {
        support.sql("CREATE TABLE members_a (\"id\" VARCHAR(20))", "INSERT INTO members_a VALUES ('a'), ('b'), ('c')");
        Account account = support.newAccount();
        segmentsExist(account, "{\"segments\":[{\"id\":7,\"name\":\"VIPs\",\"type\":\"manual\"}]}");
        support.loadSyncs(SyncTestSupport.audienceSync("mirror", account.id(), "SELECT \"id\" FROM members_a ORDER BY \"id\"",
                "VIPs", "mirror"));

        JsonNode first = support.runAndWait("mirror", false);
        support.sql("DELETE FROM members_a WHERE \"id\" = 'b'", "INSERT INTO members_a VALUES ('d')");
        JsonNode second = support.runAndWait("mirror", false);
        JsonNode third = support.runAndWait("mirror", false);

        assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("succeeded");
        assertThat(SyncTestSupport.count(first, "sent")).isEqualTo(3);
        assertThat(SyncTestSupport.count(second, "sent")).isEqualTo(1);
        assertThat(SyncTestSupport.count(second, "removed")).isEqualTo(1);
        assertThat(SyncTestSupport.count(second, "unchanged")).isEqualTo(2);
        assertThat(SyncTestSupport.count(third, "unchanged")).isEqualTo(3);
        assertThat(membershipCalls(account, "7")).containsExactly("add:[a, b, c]", "add:[d]", "remove:[b]");
        support.assertTrackContract(account);
    }

    @Test
    void upsertOnlyAdds() throws Exception {
        support.sql("CREATE TABLE members_b (\"id\" INT)", "INSERT INTO members_b VALUES (1), (2)");
        Account account = support.newAccount();
        support.loadSyncs(SyncTestSupport.audienceSync("upsert", account.id(), "SELECT \"id\" FROM members_b ORDER BY \"id\"",
                "42", "upsert"));

        support.runAndWait("upsert", false);
        support.sql("DELETE FROM members_b WHERE \"id\" = 1", "INSERT INTO members_b VALUES (3)");
        JsonNode second = support.runAndWait("upsert", false);

        assertThat(SyncTestSupport.count(second, "sent")).isEqualTo(1);
        assertThat(SyncTestSupport.count(second, "removed")).isZero();
        assertThat(membershipCalls(account, "42")).containsExactly("add:[1, 2]", "add:[3]");
        assertThat(support.requests(account)).noneMatch(request -> request.getUrl().startsWith("/v1/segments"));
    }

    @Test
    void segmentCreatedByNameWhenMissing() throws Exception {
        support.sql("CREATE TABLE members_c (\"id\" INT)", "INSERT INTO members_c SELECT X FROM SYSTEM_RANGE(1, 2300)");
        Account account = support.newAccount();
        segmentsExist(account, "{\"segments\":[{\"id\":3,\"name\":\"Other\",\"type\":\"manual\"}]}");
        support.customerIo.stubFor(post(urlEqualTo("/v1/segments")).atPriority(1)
                .withHeader("Authorization", equalTo(account.appAuthorization()))
                .willReturn(okJson("{\"segment\":{\"id\":99,\"name\":\"Trial users\",\"type\":\"manual\"}}")));
        support.loadSyncs(SyncTestSupport.audienceSync("create", account.id(), "SELECT \"id\" FROM members_c", "Trial users",
                "mirror"));

        JsonNode dry = support.runAndWait("create", true);
        long callsAfterDryRun = support.requests(account).stream().filter(r -> r.getMethod().getName().equals("POST")).count();
        JsonNode run = support.runAndWait("create", false);

        assertThat(SyncTestSupport.count(dry, "sent")).isEqualTo(2300);
        assertThat(callsAfterDryRun).isZero();
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");
        assertThat(SyncTestSupport.count(run, "sent")).isEqualTo(2300);
        List<LoggedRequest> creates = support.requests(account).stream()
                .filter(r -> r.getUrl().equals("/v1/segments") && r.getMethod().getName().equals("POST")).toList();
        assertThat(creates).hasSize(1);
        assertThat(Json.MAPPER.readTree(creates.get(0).getBody()).path("segment").path("name").asText()).isEqualTo("Trial users");
        List<String> calls = membershipCalls(account, "99");
        assertThat(calls).hasSize(3);
        int ids = 0;
        for (LoggedRequest request : support.requests(account)) {
            if (request.getUrl().startsWith("/api/v1/segments/99/add_customers")) {
                int size = Json.MAPPER.readTree(request.getBody()).path("ids").size();
                assertThat(size).isBetween(1, 1000);
                ids += size;
            }
        }
        assertThat(ids).isEqualTo(2300);
        support.assertTrackContract(account);
    }

    @Test
    void changedSegmentGetsEveryMember() throws Exception {
        support.sql("CREATE TABLE members_f (\"id\" INT)", "INSERT INTO members_f VALUES (2), (5)");
        Account account = support.newAccount();
        segmentsExist(account, "{\"segments\":[{\"id\":11,\"name\":\"New VIPs\",\"type\":\"manual\"}]}");
        String query = "SELECT \"id\" FROM members_f ORDER BY \"id\"";
        support.loadSyncs(SyncTestSupport.audienceSync("renamed", account.id(), query, "4", "mirror"));

        JsonNode first = support.runAndWait("renamed", false);
        removeSyncRoute("renamed");
        support.loadSyncs(SyncTestSupport.audienceSync("renamed", account.id(), query, "New VIPs", "mirror"));
        JsonNode second = support.runAndWait("renamed", false);
        JsonNode third = support.runAndWait("renamed", false);

        assertThat(SyncTestSupport.count(first, "sent")).isEqualTo(2);
        assertThat(SyncTestSupport.count(second, "sent")).as(second.toString()).isEqualTo(2);
        assertThat(SyncTestSupport.count(second, "unchanged")).isZero();
        assertThat(SyncTestSupport.count(second, "removed")).isZero();
        assertThat(SyncTestSupport.count(third, "unchanged")).isEqualTo(2);
        assertThat(membershipCalls(account, "4")).containsExactly("add:[2, 5]");
        assertThat(membershipCalls(account, "11")).containsExactly("add:[2, 5]");
    }

    @Test
    void recreatedSegmentGetsEveryMember() throws Exception {
        support.sql("CREATE TABLE members_g (\"id\" INT)", "INSERT INTO members_g VALUES (2), (5)");
        Account account = support.newAccount();
        segmentsExist(account, "{\"segments\":[{\"id\":21,\"name\":\"Beta\",\"type\":\"manual\"}]}");
        support.loadSyncs(SyncTestSupport.audienceSync("recreated", account.id(), "SELECT \"id\" FROM members_g ORDER BY \"id\"",
                "Beta", "mirror"));

        JsonNode first = support.runAndWait("recreated", false);
        segmentsExist(account, "{\"segments\":[{\"id\":22,\"name\":\"Beta\",\"type\":\"manual\"}]}");
        support.sql("DELETE FROM members_g WHERE \"id\" = 2");
        JsonNode second = support.runAndWait("recreated", false);

        assertThat(SyncTestSupport.count(first, "sent")).isEqualTo(2);
        assertThat(SyncTestSupport.count(second, "sent")).as(second.toString()).isEqualTo(1);
        assertThat(SyncTestSupport.count(second, "unchanged")).isZero();
        assertThat(SyncTestSupport.count(second, "removed")).isZero();
        assertThat(membershipCalls(account, "21")).containsExactly("add:[2, 5]");
        assertThat(membershipCalls(account, "22")).containsExactly("add:[5]");
    }

    @Test
    void scheduledRunsNeverOverlap() throws Exception {
        support.sql("CREATE TABLE members_e (\"id\" INT)", "INSERT INTO members_e VALUES (1)");
        Account account = support.newAccount();
        // Each run takes about 2.5 s, longer than the one-second schedule, and the table changes before each firing.
        support.customerIo.stubFor(post(urlEqualTo("/api/v1/segments/6/add_customers?id_type=id")).atPriority(1)
                .withHeader("Authorization", equalTo(account.trackAuthorization()))
                .willReturn(okJson("{}").withFixedDelay(2500)));
        String yaml = SyncTestSupport.audienceSync("overlap", account.id(), "SELECT \"id\" FROM members_e", "6", "upsert")
                .replace(Json.MAPPER.valueToTree(SyncTestSupport.NEVER).toString(), "\"* * * * * ?\"");
        support.loadSyncs(yaml);

        for (int id = 2; id <= 4; id++) {
            Thread.sleep(1000);
            support.sql("INSERT INTO members_e VALUES (" + id + ")");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> finishedRuns("overlap").size() >= 2);
        stopSyncRoute("overlap");

        List<JsonNode> runs = finishedRuns("overlap");
        for (JsonNode run : runs) {
            for (JsonNode other : runs) {
                boolean same = run.path("id").asText().equals(other.path("id").asText());
                boolean overlaps = instant(run, "started_at").isBefore(instant(other, "finished_at"))
                        && instant(other, "started_at").isBefore(instant(run, "finished_at"));
                assertThat(same || !overlaps).as(run + " overlaps " + other).isTrue();
            }
        }
    }

    private static java.time.Instant instant(JsonNode run, String field) {
        return java.time.Instant.parse(run.path(field).asText());
    }

    private static List<JsonNode> finishedRuns(String syncId) throws Exception {
        List<JsonNode> finished = new ArrayList<>();
        for (JsonNode run : support.service.admin("GET", "/syncs/" + syncId + "/runs", null).json().path("result")) {
            if (!"running".equals(run.path("status").asText())) {
                finished.add(run);
            }
        }
        return finished;
    }

    private static void stopSyncRoute(String syncId) throws Exception {
        String routeId = null;
        for (JsonNode sync : support.service.admin("GET", "/syncs", null).json().path("result")) {
            if (syncId.equals(sync.path("sync_id").asText())) {
                routeId = sync.path("route_id").asText();
            }
        }
        assertThat(routeId).isNotNull();
        support.service.main().getCamelContext().getRouteController().stopRoute(routeId);
    }

    /** Removes a sync's route, as a restart does after its file changed. */
    private static void removeSyncRoute(String syncId) throws Exception {
        String routeId = routeIdOf(syncId);
        var camel = support.service.main().getCamelContext();
        camel.getRouteController().stopRoute(routeId);
        camel.removeRoute(routeId);
    }

    private static String routeIdOf(String syncId) throws Exception {
        String routeId = null;
        for (JsonNode sync : support.service.admin("GET", "/syncs", null).json().path("result")) {
            if (syncId.equals(sync.path("sync_id").asText())) {
                routeId = sync.path("route_id").asText();
            }
        }
        assertThat(routeId).isNotNull();
        return routeId;
    }

    @Test
    void quartzStartsScheduledRuns() throws Exception {
        support.sql("CREATE TABLE members_d (\"id\" INT)", "INSERT INTO members_d VALUES (1)");
        Account account = support.newAccount();
        String yaml = SyncTestSupport.audienceSync("scheduled", account.id(), "SELECT \"id\" FROM members_d", "5", "upsert")
                .replace(Json.MAPPER.valueToTree(SyncTestSupport.NEVER).toString(), "\"* * * * * ?\"");
        support.loadSyncs(yaml);

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            RunningService.Reply runs = support.service.admin("GET", "/syncs/scheduled/runs", null);
            for (JsonNode run : runs.json().path("result")) {
                if ("schedule".equals(run.path("trigger").asText()) && "succeeded".equals(run.path("status").asText())) {
                    return true;
                }
            }
            return false;
        });
        assertThat(membershipCalls(account, "5")).first().isEqualTo("add:[1]");
        stopSyncRoute("scheduled");
    }
}
