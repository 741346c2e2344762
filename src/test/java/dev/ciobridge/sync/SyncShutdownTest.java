package dev.ciobridge.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.ciobridge.sync.SyncTestSupport.Account;
import dev.ciobridge.testing.RunningService;

/** A sync run cut short by a service shutdown, and the run after the restart. */
class SyncShutdownTest {

    private SyncTestSupport support;

    @AfterEach
    void stop() throws Exception {
        support.close();
    }

    @Test
    void shutdownMidRunLosesNothing() throws Exception {
        support = new SyncTestSupport();
        Path dataDir = Files.createTempDirectory("cio-bridge-sync-shutdown");
        Map<String, String> properties = SyncTestSupport.serviceProperties(support.sourceUrl);
        properties.put("cio-bridge.syncs.batch-max-items", "250");
        support.service = RunningService.start(support.stubUrl(), dataDir, properties);
        support.sql("CREATE TABLE people_s (\"id\" INT, \"plan\" VARCHAR(20))",
                "INSERT INTO people_s SELECT X, 'plan-' || X FROM SYSTEM_RANGE(1, 5000)");
        Account account = support.newAccount();
        String yaml = SyncTestSupport.attributeSync("restart", account.id(), "SELECT * FROM people_s ORDER BY \"id\"", "id", null, null);
        support.customerIo.stubFor(post(urlEqualTo("/api/v2/batch")).atPriority(1)
                .withHeader("Authorization", equalTo(account.trackAuthorization()))
                .willReturn(aResponse().withStatus(200).withBody("{}").withFixedDelay(300)));
        support.loadSyncs(yaml);

        RunningService.Reply started = support.service.admin("POST", "/syncs/restart/runs", null);
        String firstRunId = started.json().path("id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> support.requests(account).size() >= 3);
        support.service.close();

        support.resetStub();
        support.service = RunningService.start(support.stubUrl(), dataDir, properties);
        support.loadSyncs(yaml);
        JsonNode interrupted = support.service.admin("GET", "/syncs/restart/runs/" + firstRunId, null).json();
        JsonNode second = support.runAndWait("restart", false);

        assertThat(interrupted.path("status").asText()).as(interrupted.toString()).isEqualTo("interrupted");
        long confirmedFirst = SyncTestSupport.count(interrupted, "sent");
        assertThat(confirmedFirst).isLessThan(5000);
        assertThat(second.path("status").asText()).as(second.toString()).isEqualTo("succeeded");
        assertThat(SyncTestSupport.count(second, "sent")).isEqualTo(5000 - confirmedFirst);
        assertThat(SyncTestSupport.count(second, "unchanged")).isEqualTo(confirmedFirst);
        // Every row reached the stub across the two runs, and the second run resent none that the first had confirmed.
        Map<String, java.util.List<JsonNode>> afterRestart = support.identifies(account);
        assertThat(afterRestart).hasSize((int) (5000 - confirmedFirst));
        JsonNode third = support.runAndWait("restart", false);
        assertThat(SyncTestSupport.count(third, "unchanged")).isEqualTo(5000);
    }
}
