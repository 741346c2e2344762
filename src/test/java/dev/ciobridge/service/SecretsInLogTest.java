package dev.ciobridge.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ciobridge.testing.RunningService;
import dev.ciobridge.testing.ServiceProcess;

/** The service's own console log, from start to stop, contains none of the secrets it was configured or called with. */
class SecretsInLogTest {

    private static final String DB_PASSWORD = "db-password-never-logged";
    private static final String WEBHOOK_SECRET = "whsec_never_logged_0123456789";

    @Test
    void configuredAndReceivedSecretsStayOutOfTheLog() throws Exception {
        Path workingDir = Files.createTempDirectory("cio-bridge-secrets");
        Path log = workingDir.resolve("service.log");
        Map<String, String> properties = RunningService.defaults("http://127.0.0.1:9", workingDir.resolve("data"),
                RunningService.freePort());
        // H2 takes any password for a new database, so this one reaches the start-up summary like a real one.
        properties.put("cio-bridge.db.password", DB_PASSWORD);
        try (ServiceProcess service = ServiceProcess.start(properties, workingDir, log)) {
            service.awaitHealthy(Duration.ofSeconds(60));
            RunningService.Reply created = service.admin("POST", "/integrated-accounts",
                    "{\"name\":\"Log check\",\"region\":\"sandbox\",\"webhook_secrets\":{\"stripe\":\"" + WEBHOOK_SECRET + "\"}}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
        }

        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(text).contains("cio-bridge.admin-token");
        assertThat(text).doesNotContain(RunningService.ADMIN_TOKEN);
        assertThat(text).doesNotContain(RunningService.MASTER_KEY);
        assertThat(text).doesNotContain(DB_PASSWORD);
        assertThat(text).doesNotContain(WEBHOOK_SECRET);
    }
}
