package dev.ciobridge.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ciobridge.api.Json;
import dev.ciobridge.sync.SyncTestSupport.Account;
import dev.ciobridge.testing.RunningService;

/** Contact attribute syncs from an H2 source through the real service to a stub of the Track API. */
class SyncAttributesTest {

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

    private static Account syncOf(String syncId, String table, String emailColumn, String nulls) throws Exception {
        Account account = support.newAccount();
        support.loadSyncs(SyncTestSupport.attributeSync(syncId, account.id(), "SELECT * FROM " + table + " ORDER BY \"id\"", "id",
                emailColumn, nulls));
        return account;
    }

    @Test
    void firstRunThenNoChangesSendsNothing() throws Exception {
        support.sql("CREATE TABLE people_a (\"id\" BIGINT, \"plan\" VARCHAR(20), \"seats\" INT, \"mrr\" DECIMAL(10,2),"
                        + " \"ratio\" DOUBLE, \"active\" BOOLEAN, \"signed_up\" TIMESTAMP)",
                "INSERT INTO people_a VALUES (1, 'pro', 5, 49.90, 0.25, TRUE, TIMESTAMP '2026-01-02 03:04:05'),"
                        + " (2, 'free', 1, 0.00, 1e20, FALSE, NULL), (12345678901234, 'team', 20, 120.00, 2.0, TRUE, NULL)");
        Account account = syncOf("first-run", "people_a", null, null);

        JsonNode first = support.runAndWait("first-run", false);

        assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("succeeded");
        assertThat(SyncTestSupport.count(first, "rows_read")).isEqualTo(3);
        assertThat(SyncTestSupport.count(first, "sent")).isEqualTo(3);
        assertThat(SyncTestSupport.count(first, "invalid")).isZero();
        Map<String, List<JsonNode>> identifies = support.identifies(account);
        assertThat(identifies).containsOnlyKeys("1", "2", "12345678901234");
        JsonNode one = identifies.get("1").get(0).path("attributes");
        assertThat(one.path("plan").asText()).isEqualTo("pro");
        assertThat(one.path("seats").isIntegralNumber()).isTrue();
        assertThat(one.path("mrr").asText()).isEqualTo("49.9");
        assertThat(one.path("ratio").asText()).isEqualTo("0.25");
        assertThat(one.path("active").isBoolean()).isTrue();
        assertThat(one.path("signed_up").asLong()).isEqualTo(1767323045L);
        JsonNode two = identifies.get("2").get(0).path("attributes");
        // A floating-point column stays a JSON number beyond 64 bits, written without an exponent.
        assertThat(two.path("ratio").isNumber()).as(two.toString()).isTrue();
        assertThat(two.path("ratio").asText()).isEqualTo("100000000000000000000");
        assertThat(two.path("mrr").isIntegralNumber()).isTrue();
        assertThat(two.has("signed_up")).isFalse();
        support.assertTrackContract(account);
        int requestsAfterFirst = support.requests(account).size();

        JsonNode second = support.runAndWait("first-run", false);

        assertThat(second.path("status").asText()).isEqualTo("succeeded");
        assertThat(SyncTestSupport.count(second, "unchanged")).isEqualTo(3);
        assertThat(SyncTestSupport.count(second, "sent")).isZero();
        assertThat(support.requests(account)).hasSize(requestsAfterFirst);
    }

    @Test
    void updatesAndNullsDeleteSendOnlyChanges() throws Exception {
        support.sql("CREATE TABLE people_b (\"id\" VARCHAR(20), \"plan\" VARCHAR(20), \"seats\" INT)",
                "INSERT INTO people_b VALUES ('u1', 'pro', 5), ('u2', 'free', 1), ('u3', 'team', 9), ('u4', 'pro', 2)");
        Account account = syncOf("updates", "people_b", null, "delete");
        support.runAndWait("updates", false);
        support.sql("UPDATE people_b SET \"seats\" = 6 WHERE \"id\" = 'u1'",
                "UPDATE people_b SET \"plan\" = NULL WHERE \"id\" = 'u2'",
                "DELETE FROM people_b WHERE \"id\" = 'u3'");
        int before = support.requests(account).size();

        JsonNode run = support.runAndWait("updates", false);

        assertThat(SyncTestSupport.count(run, "rows_read")).isEqualTo(3);
        assertThat(SyncTestSupport.count(run, "sent")).isEqualTo(2);
        assertThat(SyncTestSupport.count(run, "unchanged")).isEqualTo(1);
        assertThat(support.requests(account)).hasSize(before + 1);
        Map<String, List<JsonNode>> identifies = support.identifies(account);
        JsonNode u1 = identifies.get("u1").get(1).path("attributes");
        assertThat(u1.toString()).isEqualTo("{\"seats\":6}");
        JsonNode u2 = identifies.get("u2").get(1).path("attributes");
        assertThat(u2.toString()).isEqualTo("{\"plan\":\"\"}");
        assertThat(identifies.get("u3")).hasSize(1);
        support.assertTrackContract(account);

        support.sql("UPDATE people_b SET \"plan\" = 'pro' WHERE \"id\" = 'u2'");
        support.runAndWait("updates", false);
        assertThat(support.identifies(account).get("u2").get(2).path("attributes").toString()).isEqualTo("{\"plan\":\"pro\"}");
    }

    @Test
    void nullsSkipNeverResendsOldValue() throws Exception {
        support.sql("CREATE TABLE people_c (\"id\" INT, \"plan\" VARCHAR(20), \"seats\" INT)",
                "INSERT INTO people_c VALUES (1, 'pro', 5)");
        Account account = syncOf("nulls-skip", "people_c", null, "skip");
        support.runAndWait("nulls-skip", false);
        support.sql("UPDATE people_c SET \"plan\" = NULL");
        int before = support.requests(account).size();

        JsonNode nullRun = support.runAndWait("nulls-skip", false);

        assertThat(SyncTestSupport.count(nullRun, "sent")).isZero();
        assertThat(SyncTestSupport.count(nullRun, "unchanged")).isEqualTo(1);
        assertThat(support.requests(account)).hasSize(before);

        support.sql("UPDATE people_c SET \"seats\" = 7");
        JsonNode changeRun = support.runAndWait("nulls-skip", false);

        assertThat(SyncTestSupport.count(changeRun, "sent")).isEqualTo(1);
        assertThat(support.identifies(account).get("1").get(1).path("attributes").toString()).isEqualTo("{\"seats\":7}");
    }

    @Test
    void invalidRowsAreReportedNotSent() throws Exception {
        String big = "x".repeat(1001);
        support.sql("CREATE TABLE people_d (\"id\" VARCHAR(20), \"email\" VARCHAR(100), \"note\" VARCHAR(2000), \"score\" DOUBLE)",
                "INSERT INTO people_d VALUES ('ok1', 'ok1@example.com', 'fine', 1.5),"
                        + " ('dup', 'dup1@example.com', 'a', 1), ('dup', 'dup2@example.com', 'b', 2),"
                        + " (NULL, 'nokey@example.com', 'c', 3),"
                        + " ('same1', 'Shared@Example.com', 'd', 4), ('same2', 'shared@example.com ', 'e', 5),"
                        + " ('big', 'big@example.com', '" + big + "', 6),"
                        + " ('nan', 'nan@example.com', 'f', CAST('NaN' AS DOUBLE)),"
                        + " ('inf', 'inf@example.com', 'g', CAST('Infinity' AS DOUBLE)),"
                        + " ('ok2', NULL, 'fine', 2)");
        Account account = syncOf("invalid", "people_d", "email", null);

        JsonNode run = support.runAndWait("invalid", false);

        assertThat(run.path("status").asText()).isEqualTo("succeeded");
        assertThat(SyncTestSupport.count(run, "rows_read")).isEqualTo(10);
        assertThat(SyncTestSupport.count(run, "sent")).isEqualTo(2);
        assertThat(SyncTestSupport.count(run, "invalid")).isEqualTo(8);
        Map<String, JsonNode> invalid = SyncTestSupport.problems(run, "invalid");
        assertThat(invalid).containsKeys("dup", "same1", "same2", "big", "nan", "inf");
        assertThat(invalid.get("dup").path("message").asText()).contains("more than one row");
        assertThat(invalid.get("same1").path("field").asText()).isEqualTo("email");
        assertThat(invalid.get("same1").path("message").asText()).contains("same2");
        assertThat(invalid.get("big").path("field").asText()).isEqualTo("note");
        assertThat(invalid.get("big").path("message").asText()).contains("1001 bytes");
        assertThat(invalid.get("nan").path("field").asText()).isEqualTo("score");
        assertThat(invalid.get("inf").path("message").asText()).contains("Infinity");
        assertThat(run.path("problems").toString()).contains("the key is NULL");
        assertThat(support.identifies(account)).containsOnlyKeys("ok1", "ok2");
        assertThat(support.identifies(account).get("ok1").get(0).path("attributes").path("email").asText()).isEqualTo("ok1@example.com");
        support.assertTrackContract(account);
    }

    @Test
    void fractionalColumnsStayJsonNumbers() throws Exception {
        support.sql("CREATE TABLE people_n (\"id\" INT, \"score\" DOUBLE, \"weight\" REAL, \"price\" DECIMAL(10,2))",
                "INSERT INTO people_n VALUES (1, 1.5, CAST(0.1 AS REAL), 19.90), (2, 1.0, CAST(2.5 AS REAL), 20.00),"
                        + " (3, 0.1, CAST(1 AS REAL), 0.05)");
        Account account = syncOf("fractions", "people_n", null, null);

        JsonNode run = support.runAndWait("fractions", false);

        assertThat(SyncTestSupport.count(run, "sent")).isEqualTo(3);
        Map<String, List<JsonNode>> identifies = support.identifies(account);
        for (String id : List.of("1", "2", "3")) {
            JsonNode attributes = identifies.get(id).get(0).path("attributes");
            for (String column : List.of("score", "weight", "price")) {
                assertThat(attributes.path(column).isNumber()).as(id + " " + column + " in " + attributes).isTrue();
            }
        }
        String bodies = support.requests(account).stream().map(LoggedRequest::getBodyAsString)
                .reduce("", String::concat);
        assertThat(bodies).contains("\"score\":1.5", "\"weight\":0.1,", "\"price\":19.9}");
        assertThat(bodies).contains("\"score\":0.1,", "\"price\":0.05}");
        assertThat(bodies).doesNotContain("0.10000000149011612", "0.1000000000000000055");

        JsonNode second = support.runAndWait("fractions", false);
        assertThat(SyncTestSupport.count(second, "unchanged")).isEqualTo(3);
    }

    @Test
    void sharedEmailNamesInvalidOwner() throws Exception {
        support.sql("CREATE TABLE people_s (\"id\" VARCHAR(20), \"email\" VARCHAR(100), \"score\" DOUBLE)",
                "INSERT INTO people_s VALUES ('e1', 'e3@x.com', 1), ('e2', 'e3@x.com', CAST('NaN' AS DOUBLE)),"
                        + " ('e4', 'e5@x.com', 1), ('e6', 'e5@x.com', 2), ('e6', 'e6@x.com', 3)");
        syncOf("shared-invalid", "people_s", "email", null);

        JsonNode run = support.runAndWait("shared-invalid", false);

        Map<String, JsonNode> invalid = SyncTestSupport.problems(run, "invalid");
        assertThat(invalid.get("e1").path("message").asText()).contains("also belongs to the key(s) [e2]");
        assertThat(invalid.get("e2").path("field").asText()).isEqualTo("score");
        assertThat(invalid.get("e4").path("message").asText()).contains("also belongs to the key(s) [e6]");
        assertThat(run.path("problems").toString()).doesNotContain("key(s) []");
    }

    @Test
    void timestampColumnsBecomeUnixSeconds() throws Exception {
        support.sql("CREATE TABLE people_e (\"id\" INT, \"trial_ends_at\" VARCHAR(40), \"renewed_at\" BIGINT, \"paid_at\" VARCHAR(40))",
                "INSERT INTO people_e VALUES (1, '2026-01-01T10:00:00.1234567+0100', 1767225600123, '1767225600'),"
                        + " (2, 'next tuesday', 1767225600, NULL)");
        Account account = syncOf("timestamps", "people_e", null, null);

        JsonNode run = support.runAndWait("timestamps", false);

        assertThat(SyncTestSupport.count(run, "sent")).isEqualTo(1);
        JsonNode attributes = support.identifies(account).get("1").get(0).path("attributes");
        assertThat(attributes.path("trial_ends_at").asLong()).isEqualTo(1767258000L);
        assertThat(attributes.path("renewed_at").asLong()).isEqualTo(1767225600L);
        assertThat(attributes.path("paid_at").asLong()).isEqualTo(1767225600L);
        Map<String, JsonNode> invalid = SyncTestSupport.problems(run, "invalid");
        assertThat(invalid.get("2").path("field").asText()).isEqualTo("trial_ends_at");
        support.assertTrackContract(account);
    }

    @Test
    void sqlTimesOutsideRangeAreInvalid() throws Exception {
        support.sql("CREATE TABLE people_t (\"id\" INT, \"stamp\" TIMESTAMP, \"zoned\" TIMESTAMP WITH TIME ZONE, \"day\" DATE)",
                "INSERT INTO people_t VALUES (1, TIMESTAMP '2026-01-01 00:00:00', TIMESTAMP WITH TIME ZONE '2026-01-01 01:00:00+01',"
                        + " DATE '2026-01-01'),"
                        + " (2, TIMESTAMP '1900-01-01 00:00:00', NULL, NULL),"
                        + " (3, NULL, TIMESTAMP WITH TIME ZONE '2100-01-02 00:00:00+00', NULL),"
                        + " (4, NULL, NULL, DATE '1999-12-31')");
        Account account = syncOf("sql-times", "people_t", null, null);

        JsonNode run = support.runAndWait("sql-times", false);

        assertThat(SyncTestSupport.count(run, "sent")).isEqualTo(1);
        assertThat(SyncTestSupport.count(run, "invalid")).isEqualTo(3);
        JsonNode attributes = support.identifies(account).get("1").get(0).path("attributes");
        assertThat(attributes.path("stamp").asLong()).isEqualTo(1767225600L);
        assertThat(attributes.path("zoned").asLong()).isEqualTo(1767225600L);
        assertThat(attributes.path("day").asLong()).isEqualTo(1767225600L);
        Map<String, JsonNode> invalid = SyncTestSupport.problems(run, "invalid");
        assertThat(invalid.get("2").path("field").asText()).isEqualTo("stamp");
        assertThat(invalid.get("2").path("message").asText()).contains("1900-01-01", "between 2000 and 2100");
        assertThat(invalid.get("3").path("field").asText()).isEqualTo("zoned");
        assertThat(invalid.get("4").path("field").asText()).isEqualTo("day");
        assertThat(support.identifies(account)).containsOnlyKeys("1");
    }

    @Test
    void partialFailureRejectsOnlyListedRow() throws Exception {
        support.sql("CREATE TABLE people_f (\"id\" INT, \"plan\" VARCHAR(20))",
                "INSERT INTO people_f VALUES (1, 'pro'), (2, 'bad'), (3, 'team')");
        Account account = support.newAccount();
        support.customerIo.stubFor(post(urlEqualTo("/api/v2/batch")).atPriority(1)
                .withHeader("Authorization", equalTo(account.trackAuthorization()))
                .inScenario("partial").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("accepted")
                .willReturn(aResponse().withStatus(207).withHeader("Content-Type", "application/json")
                        .withBody("{\"errors\":[{\"batch_index\":1,\"reason\":\"invalid\",\"field\":\"attributes.plan\","
                                + "\"message\":\"value is not allowed\"}]}")));
        support.loadSyncs(SyncTestSupport.attributeSync("partial", account.id(), "SELECT * FROM people_f ORDER BY \"id\"", "id",
                null, null));

        JsonNode first = support.runAndWait("partial", false);

        assertThat(SyncTestSupport.count(first, "sent")).isEqualTo(2);
        assertThat(SyncTestSupport.count(first, "rejected")).isEqualTo(1);
        assertThat(first.path("status").asText()).isEqualTo("completed_with_failures");
        JsonNode rejected = SyncTestSupport.problems(first, "rejected").get("2");
        assertThat(rejected.path("field").asText()).isEqualTo("attributes.plan");
        assertThat(rejected.path("message").asText()).isEqualTo("value is not allowed");

        JsonNode retry = support.runAndWait("partial", false);

        assertThat(SyncTestSupport.count(retry, "sent")).isEqualTo(1);
        assertThat(SyncTestSupport.count(retry, "retried")).isEqualTo(1);
        assertThat(SyncTestSupport.count(retry, "unchanged")).isEqualTo(2);
        assertThat(retry.path("status").asText()).isEqualTo("succeeded");
        assertThat(support.identifies(account).get("2")).hasSize(2);

        JsonNode settled = support.runAndWait("partial", false);
        assertThat(SyncTestSupport.count(settled, "unchanged")).isEqualTo(3);
    }

    @Test
    void largeRowsCloseBatchesOnBytes() throws Exception {
        StringBuilder columns = new StringBuilder("\"id\" INT");
        StringBuilder values = new StringBuilder("X");
        for (int i = 0; i < 25; i++) {
            columns.append(", \"text_").append(i).append("\" VARCHAR(1000)");
            values.append(", REPEAT('").append((char) ('a' + i % 26)).append("', 950) || X");
        }
        support.sql("CREATE TABLE people_g (" + columns + ")");
        String insert = "INSERT INTO people_g SELECT " + values.toString().replace("X", "CAST(X AS VARCHAR)")
                .replaceFirst("CAST\\(X AS VARCHAR\\)", "X") + " FROM SYSTEM_RANGE(1, 60)";
        support.sql(insert);
        Account account = syncOf("large", "people_g", null, null);

        JsonNode run = support.runAndWait("large", false);

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");
        assertThat(SyncTestSupport.count(run, "sent")).isEqualTo(60);
        // About 24 KB a row: 60 rows take at least three requests under 500 KB, each far below 1000 items.
        List<LoggedRequest> batches = support.requests(account);
        assertThat(batches.size()).isGreaterThanOrEqualTo(3);
        long total = 0;
        for (LoggedRequest batch : batches) {
            assertThat(batch.getBody().length).isLessThan(500 * 1024);
            total += batch.getBody().length;
        }
        assertThat(total).isGreaterThan(2L * 500 * 1024);
        assertThat(support.identifies(account)).hasSize(60);
        support.assertTrackContract(account);
    }

    @Test
    void rateLimitStormLosesNoRows() throws Exception {
        support.sql("CREATE TABLE people_h (\"id\" INT, \"plan\" VARCHAR(20))",
                "INSERT INTO people_h SELECT X, 'plan-' || X FROM SYSTEM_RANGE(1, 2500)");
        Account account = support.newAccount();
        int storm = 12;
        for (int i = 0; i < storm; i++) {
            support.customerIo.stubFor(post(urlEqualTo("/api/v2/batch")).atPriority(1)
                    .withHeader("Authorization", equalTo(account.trackAuthorization()))
                    .inScenario("storm").whenScenarioStateIs(i == 0 ? Scenario.STARTED : "429-" + i).willSetStateTo("429-" + (i + 1))
                    .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")
                            .withBody("{\"errors\":[{\"detail\":\"rate limited\",\"status\":\"429\"}]}")));
        }
        support.loadSyncs(SyncTestSupport.attributeSync("storm", account.id(), "SELECT * FROM people_h", "id", null, null));

        JsonNode run = support.runAndWait("storm", false);

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");
        assertThat(SyncTestSupport.count(run, "sent")).isEqualTo(2500);
        assertThat(SyncTestSupport.count(run, "failed")).isZero();
        long tooMany = support.customerIo.getAllServeEvents().stream()
                .filter(event -> account.trackAuthorization().equals(event.getRequest().getHeader("Authorization")))
                .filter(event -> event.getResponse().getStatus() == 429).count();
        // Two workers can both match one scenario state, so the stub may return 429 more often than the storm's length.
        assertThat(tooMany).isGreaterThanOrEqualTo(storm);
        assertThat(support.identifies(account)).hasSize(2500);
    }

    @Test
    void failedRowsAreRetriedNextRun() throws Exception {
        support.sql("CREATE TABLE people_l (\"id\" INT, \"plan\" VARCHAR(20))",
                "INSERT INTO people_l VALUES (1, 'pro'), (2, 'free')");
        Account account = support.newAccount();
        support.customerIo.stubFor(post(urlEqualTo("/api/v2/batch")).atPriority(1)
                .withHeader("Authorization", equalTo(account.trackAuthorization()))
                .willReturn(aResponse().withStatus(503).withBody("{\"errors\":[{\"message\":\"unavailable\"}]}")));
        support.loadSyncs(SyncTestSupport.attributeSync("outage", account.id(), "SELECT * FROM people_l", "id", null, null));

        JsonNode during = support.runAndWait("outage", false);
        support.customerIo.removeStub(support.customerIo.getStubMappings().stream()
                .filter(stub -> stub.getResponse().getStatus() == 503).findFirst().orElseThrow());
        JsonNode after = support.runAndWait("outage", false);

        assertThat(SyncTestSupport.count(during, "failed")).isEqualTo(2);
        assertThat(during.path("status").asText()).isEqualTo("completed_with_failures");
        assertThat(after.path("status").asText()).isEqualTo("succeeded");
        assertThat(SyncTestSupport.count(during, "sent")).isZero();
        assertThat(SyncTestSupport.problems(during, "failed").get("1").path("message").asText()).contains("503");
        assertThat(SyncTestSupport.count(after, "sent")).isEqualTo(2);
        assertThat(SyncTestSupport.count(after, "retried")).isEqualTo(2);
        assertThat(support.identifies(account)).containsOnlyKeys("1", "2");
    }

    @Test
    void dryRunSendsNothingButCounts() throws Exception {
        support.sql("CREATE TABLE people_i (\"id\" INT, \"plan\" VARCHAR(20))",
                "INSERT INTO people_i VALUES (1, 'pro'), (2, 'free'), (NULL, 'none')");
        Account account = syncOf("dry", "people_i", null, null);

        JsonNode dry = support.runAndWait("dry", true);

        assertThat(dry.path("dry_run").asBoolean()).isTrue();
        assertThat(SyncTestSupport.count(dry, "rows_read")).isEqualTo(3);
        assertThat(SyncTestSupport.count(dry, "sent")).isEqualTo(2);
        assertThat(SyncTestSupport.count(dry, "invalid")).isEqualTo(1);
        assertThat(support.requests(account)).isEmpty();

        JsonNode real = support.runAndWait("dry", false);
        assertThat(SyncTestSupport.count(real, "sent")).isEqualTo(2);
        assertThat(support.requests(account)).hasSize(1);
    }

    @Test
    void secondStartWhileRunningIsConflict() throws Exception {
        support.sql("CREATE TABLE people_j (\"id\" INT, \"plan\" VARCHAR(20))",
                "INSERT INTO people_j SELECT X, 'p' FROM SYSTEM_RANGE(1, 3)");
        Account account = support.newAccount();
        support.customerIo.stubFor(post(urlEqualTo("/api/v2/batch")).atPriority(1)
                .withHeader("Authorization", equalTo(account.trackAuthorization()))
                .willReturn(aResponse().withStatus(200).withBody("{}").withFixedDelay(1500)));
        support.loadSyncs(SyncTestSupport.attributeSync("busy", account.id(), "SELECT * FROM people_j", "id", null, null));

        RunningService.Reply first = support.service.admin("POST", "/syncs/busy/runs", null);
        RunningService.Reply second = support.service.admin("POST", "/syncs/busy/runs", null);

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).as(second.text()).isEqualTo(409);
        assertThat(second.json().path("statusCode").asInt()).isEqualTo(409);
        assertThat(second.json().path("message").asText()).contains("busy");
        support.awaitRun("busy", first.json().path("id").asText());
    }

    @Test
    void invalidSyncsAreListedNotScheduled() throws Exception {
        support.sql("CREATE TABLE people_v (\"id\" INT)");
        Account account = support.newAccount();
        String everySecond = "\"* * * * * ?\"";
        String never = Json.MAPPER.valueToTree(SyncTestSupport.NEVER).toString();
        String query = "SELECT * FROM people_v";
        Map<String, String> expectedErrors = new LinkedHashMap<>();
        expectedErrors.put("bad-cron", "minutes value 99");
        expectedErrors.put("bad-nulls", "parameter nulls must be");
        expectedErrors.put("bad-mode", "parameter mode must be");
        expectedErrors.put("bad~id", "syncId must be");
        expectedErrors.put("foreign-mode", "parameter mode applies to segment-audience-sync only");
        expectedErrors.put("foreign-nulls", "parameter nulls applies to contact-attribute-sync only");
        expectedErrors.put("not-select", "query must be a SELECT");
        support.loadSyncs(SyncTestSupport.attributeSync("bad-cron", account.id(), query, "id", null, null)
                .replace(never, "\"0 99 * * * ?\""));
        support.loadSyncs(SyncTestSupport.attributeSync("bad-nulls", account.id(), query, "id", null, "maybe")
                .replace(never, everySecond));
        support.loadSyncs(SyncTestSupport.audienceSync("bad-mode", account.id(), query, "4", "sync").replace(never, everySecond));
        support.loadSyncs(SyncTestSupport.attributeSync("bad~id", account.id(), query, "id", null, null).replace(never, everySecond));
        support.loadSyncs(SyncTestSupport.attributeSync("foreign-mode", account.id(), query, "id", null, null)
                .replace(never, everySecond) + "      - name: mode\n        value: mirror\n");
        support.loadSyncs(SyncTestSupport.attributeSync("not-select", account.id(),
                "-- removes rows\n/* on purpose */ DELETE FROM people_v RETURNING \"id\"", "id", null, null).replace(never, everySecond));
        support.loadSyncs(SyncTestSupport.attributeSync("commented-select", account.id(), "-- all\n /* people */ select * FROM people_v",
                "id", null, null));
        support.loadSyncs(SyncTestSupport.audienceSync("foreign-nulls", account.id(), query, "4", "upsert")
                .replace(never, everySecond) + "      - name: nulls\n        value: delete\n");

        Map<String, JsonNode> listed = new LinkedHashMap<>();
        for (JsonNode sync : support.service.admin("GET", "/syncs", null).json().path("result")) {
            listed.put(sync.path("sync_id").asText(), sync);
        }

        var routes = support.service.main().getCamelContext().getRouteController();
        for (Map.Entry<String, String> expected : expectedErrors.entrySet()) {
            JsonNode sync = listed.get(expected.getKey());
            assertThat(sync).as(expected.getKey() + " in " + listed.keySet()).isNotNull();
            assertThat(sync.path("error").asText()).as(expected.getKey()).contains(expected.getValue());
            String routeId = sync.path("route_id").asText();
            assertThat(routes.getRouteStatus(routeId)).as(routeId).isNotEqualTo(org.apache.camel.ServiceStatus.Started);
        }
        assertThat(listed.get("commented-select").path("error").isMissingNode()).as(listed.get("commented-select").toString()).isTrue();
        RunningService.Reply start = support.service.admin("POST", "/syncs/bad-nulls/runs", null);
        assertThat(start.status()).as(start.text()).isEqualTo(422);
    }

    @Test
    void runErrorsOmitExceptionClassNames() throws Exception {
        Account account = support.newAccount();
        support.loadSyncs(SyncTestSupport.attributeSync("no-table", account.id(), "SELECT * FROM no_such_table", "id", null, null));
        support.loadSyncs(SyncTestSupport.attributeSync("no-source", account.id(), "SELECT 1 AS \"id\"", "id", null, null)
                .replace("value: \"" + SyncTestSupport.SOURCE + "\"", "value: \"nosuch\""));

        JsonNode noTable = support.runAndWait("no-table", false);
        JsonNode noSource = support.runAndWait("no-source", false);

        assertThat(noTable.path("status").asText()).isEqualTo("failed");
        assertThat(noTable.path("error").asText()).containsIgnoringCase("no_such_table");
        assertThat(noTable.path("error").asText()).doesNotContain("Exception");
        assertThat(noSource.path("status").asText()).isEqualTo("failed");
        assertThat(noSource.path("error").asText()).startsWith("source 'nosuch'");
    }

    @Test
    void adminApiListsSyncsAndRejectsBadInput() throws Exception {
        support.sql("CREATE TABLE people_k (\"id\" INT, \"plan\" VARCHAR(20))");
        Account account = syncOf("listed", "people_k", null, "delete");

        RunningService.Reply list = support.service.admin("GET", "/syncs", null);
        RunningService.Reply unknown = support.service.admin("POST", "/syncs/no-such-sync/runs", null);
        RunningService.Reply badFlag = support.service.admin("POST", "/syncs/listed/runs?dry_run=maybe", null);
        RunningService.Reply noToken = support.service.request("GET", "/syncs", Map.of(), null);

        assertThat(list.status()).isEqualTo(200);
        JsonNode listed = null;
        for (JsonNode sync : list.json().path("result")) {
            if ("listed".equals(sync.path("sync_id").asText())) {
                listed = sync;
            }
        }
        assertThat(listed).as(list.text()).isNotNull();
        assertThat(listed.path("account").asText()).isEqualTo(account.id());
        assertThat(listed.path("nulls").asText()).isEqualTo("delete");
        assertThat(listed.path("template").asText()).isEqualTo("contact-attribute-sync");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").asText()).isEqualTo("Not Found");
        assertThat(badFlag.status()).isEqualTo(400);
        assertThat(badFlag.json().path("message").asText()).contains("dry_run");
        assertThat(noToken.status()).isEqualTo(401);
    }
}
