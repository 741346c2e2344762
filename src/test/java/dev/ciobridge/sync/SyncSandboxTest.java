package dev.ciobridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ciobridge.testing.RunningService;

/**
 * The README's first sync: a sandbox account, an H2 source, and the sample file samples/syncs/crm-contacts.camel.yaml
 * with its attribute sync and audience sync, read back from the simulator.
 */
class SyncSandboxTest {

    static SyncTestSupport support;

    @BeforeAll
    static void start() throws Exception {
        support = new SyncTestSupport();
        support.start(Map.of("cio-bridge.sources.crm.url", support.sourceUrl));
    }

    @AfterAll
    static void stop() throws Exception {
        support.close();
    }

    @Test
    void sandboxReceivesAttributesAndSegment() throws Exception {
        support.sql("CREATE TABLE customers (id BIGINT, email VARCHAR(200), plan VARCHAR(20), seats INT,"
                        + " trial_ends_at TIMESTAMP, deleted_at TIMESTAMP)",
                "INSERT INTO customers VALUES (101, 'ada@example.com', 'pro', 12, TIMESTAMP '2026-03-01 00:00:00', NULL),"
                        + " (102, 'grace@example.com', 'free', 1, NULL, NULL)");
        RunningService.Reply created = support.service.admin("POST", "/integrated-accounts", "{\"name\":\"Demo\",\"region\":\"sandbox\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String account = created.json().path("id").asText();
        String sample = Files.readString(Path.of("samples", "syncs", "crm-contacts.camel.yaml"));
        support.loadSyncs(sample.replace("acc_REPLACE_ME", account));

        JsonNode contacts = support.runAndWait("crm-contacts", false);
        JsonNode audience = support.runAndWait("pro-customers", false);
        JsonNode person = support.service.admin("GET", "/integrated-accounts/" + account + "/sandbox/people/101", null).json();

        assertThat(contacts.path("status").asText()).as(contacts.toString()).isEqualTo("succeeded");
        assertThat(SyncTestSupport.count(contacts, "sent")).isEqualTo(2);
        assertThat(audience.path("status").asText()).as(audience.toString()).isEqualTo("succeeded");
        assertThat(SyncTestSupport.count(audience, "sent")).isEqualTo(1);
        assertThat(person.toString()).contains("\"plan\":\"pro\"").contains("ada@example.com").contains("1772323200");
    }
}
