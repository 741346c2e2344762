package dev.ciobridge.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ciobridge.testing.RunningService;
import dev.ciobridge.testing.ServiceProcess;

/** config/application.properties in the working directory overrides the built-in defaults of a started process. */
class ConfigFileTest {

    @Test
    void workingDirectoryConfigOverridesDefaults() throws Exception {
        Path workingDir = Files.createTempDirectory("cio-bridge-config");
        Files.createDirectories(workingDir.resolve("config"));
        // The built-in default is 10, and only the file sets 7.
        Files.writeString(workingDir.resolve("config/application.properties"), "customerio.app.requests-per-second = 7\n");
        Map<String, String> properties = RunningService.defaults("http://127.0.0.1:9", workingDir.resolve("data"),
                RunningService.freePort());
        try (ServiceProcess service = ServiceProcess.start(properties, workingDir, workingDir.resolve("service.log"))) {
            service.awaitHealthy(Duration.ofSeconds(60));
            RunningService.Reply created = service.admin("POST", "/integrated-accounts",
                    "{\"name\":\"Config check\",\"region\":\"sandbox\"}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String account = created.json().get("id").asText();

            RunningService.Reply reply = service.admin("GET", "/proxy/app/v1/workspaces?integrated_account_id=" + account, null);

            assertThat(reply.status()).as(reply.text()).isEqualTo(200);
            assertThat(reply.headers().get("ratelimit-limit")).containsExactly("7");
        }
    }
}
